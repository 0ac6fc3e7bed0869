/**
 * Shared helpers of the hostile-input suite: temporary Prisma projects, the
 * built CLI as a subprocess, and the invariants every finding must keep.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { LintMessage, LintResult } from "../../src/engine/results.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = path.join(ROOT, "bin", "migration-lint.js");
export const HOSTILE_FIXTURES = path.join(ROOT, "fixtures", "hostile");

export const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id
  email String
}
`;

export const INIT_SQL = `-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
`;

/** A migration whose findings are known: destructive-change (error) on line 2. */
export const DROP_SQL = `-- DropColumn
ALTER TABLE "User" DROP COLUMN "email";
`;

const made: string[] = [];

/** A temporary folder outside the repository, removed by `cleanupTemp`. `.git` stops the config search there. */
export function tempDir(prefix = "hostile"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migration-lint-${prefix}-`));
  made.push(dir);
  fs.mkdirSync(path.join(dir, ".git"));
  return dir;
}

export function cleanupTemp(): void {
  for (const dir of made.splice(0)) {
    // chmod'ed folders and odd entries must not fail the cleanup
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // left for the OS to clean
    }
  }
}

/** Writes files (relative path -> text or bytes) under `dir`. */
export function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/**
 * A project with prisma/schema.prisma, a lock file (unless `lock: null`) and
 * the migrations given (folder name -> migration.sql), after an init migration.
 */
export function project(migrations: Record<string, string | Uint8Array> = {}, options: { lock?: string | null; schema?: string; init?: boolean } = {}): string {
  const dir = tempDir();
  const files: Record<string, string | Uint8Array> = { "prisma/schema.prisma": options.schema ?? SCHEMA };
  if (options.lock !== null) files["prisma/migrations/migration_lock.toml"] = options.lock ?? 'provider = "postgresql"\n';
  if (options.init !== false) files["prisma/migrations/20240101000000_init/migration.sql"] = INIT_SQL;
  for (const [name, sql] of Object.entries(migrations)) files[`prisma/migrations/${name}/migration.sql`] = sql;
  write(dir, files);
  return dir;
}

export function migrationFile(dir: string, name: string): string {
  return path.join(dir, "prisma", "migrations", name, "migration.sql");
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The environment without colour or debug overrides. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.MIGRATION_LINT_DEBUG;
  return env;
}

/** Runs the built CLI (`npm test` compiles dist/ first). */
export function cli(args: string[], options: { cwd?: string; nodeArgs?: string[]; timeout?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...cleanEnv(), ...options.env },
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

/** `--format json` output of the CLI. */
export function json(run: Run): LintResult[] {
  try {
    return JSON.parse(run.stdout) as LintResult[];
  } catch {
    throw new Error(`not JSON (exit ${run.status}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`);
  }
}

/** What the CLI must never print: a stack trace, an internal error, an unhandled rejection. */
export function expectNoCrash(run: Pick<Run, "stdout" | "stderr">): void {
  for (const text of [run.stdout, run.stderr]) expect(text).not.toMatch(/^\s+at .+[(:]\d+/m);
  // findings may quote an error class (an internal-error finding names it); the process's own output may not
  expect(run.stderr).not.toMatch(/internal error|Unhandled|TypeError|ReferenceError|RangeError|node:internal/);
}

/** A one-line `migration-lint: <file>[:line]: message` on stderr, exit code 2, nothing on stdout. */
export function expectFailure(run: Run, file: string | null, message: RegExp): void {
  expect(run.status, run.stderr).toBe(2);
  expectNoCrash(run);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^migration-lint: /);
  if (file !== null) expect(lines[0]).toContain(`migration-lint: ${file}`);
  expect(lines[0]).toMatch(message);
}

export function messagesOf(results: LintResult[], file: string): LintMessage[] {
  const result = results.find((r) => r.filePath === file);
  if (!result) throw new Error(`no result for ${file}; files: ${results.map((r) => r.filePath).join(", ")}`);
  return result.messages;
}

export const ruleIds = (messages: LintMessage[]) => messages.map((m) => m.ruleId);

/** Line texts the way SourceText splits them: `\n`, `\r\n` and a lone `\r` end a line; a UTF-8 BOM is not text. */
export function linesOf(text: string): string[] {
  return (text.startsWith("\uFEFF") ? text.slice(1) : text).split(/\r\n|\n|\r/);
}

/**
 * The invariants of every finding on a file: it points inside the file
 * (1 <= line <= number of lines, 1 <= column <= line length + 1, start before
 * end), carries a one-line message (no stack trace) and a rule id.
 */
export function expectInside(messages: LintMessage[], text: string, label = ""): void {
  const lines = linesOf(text);
  for (const m of messages) {
    const where = `${label} ${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.message.slice(0, 200)}`;
    expect(m.ruleId, where).toBeTruthy();
    expect(m.line, where).toBeGreaterThanOrEqual(1);
    expect(m.line, where).toBeLessThanOrEqual(lines.length);
    expect(m.column, where).toBeGreaterThanOrEqual(1);
    expect(m.column, where).toBeLessThanOrEqual(lines[m.line - 1]!.length + 1);
    const endLine = m.endLine ?? m.line;
    const endColumn = m.endColumn ?? m.column;
    expect(endLine, where).toBeGreaterThanOrEqual(m.line);
    expect(endLine, where).toBeLessThanOrEqual(lines.length);
    if (endLine === m.line) expect(endColumn, where).toBeGreaterThanOrEqual(m.column);
    expect(endColumn, where).toBeGreaterThanOrEqual(1);
    expect(endColumn, where).toBeLessThanOrEqual(lines[endLine - 1]!.length + 1);
    expect(m.message, where).not.toMatch(/\n\s+at /);
  }
}

/** Peak resident memory of a CLI run: a preload module prints it on exit. */
export function maxRssPreload(dir: string): string[] {
  const file = path.join(dir, "max-rss.mjs");
  fs.writeFileSync(file, 'import { writeSync } from "node:fs";\nprocess.on("exit", () => writeSync(2, `max-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n');
  return ["--import", file];
}
