import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadedMigration } from "../../src/engine/linter.js";
import type { LintMessage } from "../../src/engine/results.js";
import { loadMigrations } from "../../src/model/load.js";
import { replay, type ReplayOptions, type ReplayReport } from "../../src/replay/index.js";
import { parsePrismaSchema } from "../../src/schema/parse-schema.js";
import type { PrismaSchemaModel } from "../../src/schema/types.js";
import { prismaMigrateSource } from "../../src/sources/prisma-migrate.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BLOG = path.join(ROOT, "fixtures", "replay", "blog");

/** Generous: PGlite starts in 1-3 s, slower when the machine is busy. */
export const REPLAY_TIMEOUT = 90_000;

export async function loadHistory(migrationsDir: string): Promise<LoadedMigration[]> {
  return loadMigrations(await prismaMigrateSource.list(migrationsDir));
}

export function parseSchemaText(file: string, text: string): PrismaSchemaModel {
  return parsePrismaSchema([{ path: file, text }]);
}

export function loadSchema(file: string): PrismaSchemaModel {
  return parseSchemaText(file, fs.readFileSync(file, "utf8"));
}

export interface MigrationSpec {
  name: string;
  up: string;
  down?: string;
}

/** Writes a migrations folder (Prisma layout) into a temporary directory and loads it. */
export async function writeHistory(specs: MigrationSpec[]): Promise<{ dir: string; migrations: LoadedMigration[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-replay-"));
  for (const spec of specs) {
    const folder = path.join(dir, spec.name);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "migration.sql"), spec.up);
    if (spec.down !== undefined) fs.writeFileSync(path.join(folder, "down.sql"), spec.down);
  }
  return { dir, migrations: await loadHistory(dir) };
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export type FileMessage = LintMessage & { file: string };

export function allMessages(report: ReplayReport): FileMessage[] {
  return [...report.messages.entries()].flatMap(([file, list]) => list.map((m) => ({ ...m, file })));
}

export function byRule(report: ReplayReport, ruleId: string): FileMessage[] {
  return allMessages(report).filter((m) => m.ruleId === ruleId);
}

export async function run(options: Omit<ReplayOptions, "inScope"> & { inScope?: ReplayOptions["inScope"] }, databaseUrl?: string): Promise<ReplayReport> {
  return replay({ inScope: () => true, ...options, ...(databaseUrl ? { databaseUrl } : {}) });
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not found`);
  return index + 1;
}

/** `connectionString` naming another database of the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const parsed = new URL(connectionString);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
