/**
 * Reads and parses every migration of a history once, concurrently, and
 * builds its operations.
 */
import { readFileSync } from "node:fs";
import type { MigrationEntry } from "../types.js";
import type { LoadedMigration } from "../engine/linter.js";
import { parseSqlFile } from "../parse/sql.js";
import { buildOperations } from "./build.js";
import { errorMessage } from "../errors.js";

/** Decodes a file: UTF-8 (BOM kept for SourceText to strip), or UTF-16 when it starts with a UTF-16 BOM. */
export function decodeText(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder("utf-16le").decode(buffer.subarray(2));
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder("utf-16be").decode(buffer.subarray(2));
  return buffer.toString("utf8");
}

/**
 * Migration files are small and many: synchronous reads measured faster
 * than promise-based ones here (no per-file handle and event-loop round trip),
 * and parsing is synchronous anyway.
 */
export async function loadMigrations(entries: MigrationEntry[]): Promise<LoadedMigration[]> {
  const out: LoadedMigration[] = [];
  for (const [index, entry] of entries.entries()) out.push(await loadMigration(entry, index));
  return out;
}

async function loadMigration(entry: MigrationEntry, index: number): Promise<LoadedMigration> {
  if (!entry.upPath) {
    return { entry, index, file: null, error: `Migration folder "${entry.name}" has no migration.sql: \`prisma migrate deploy\` fails on it. Add the script or remove the folder.` };
  }
  let text: string;
  try {
    text = decodeText(readFileSync(entry.upPath));
  } catch (err) {
    return { entry, index, file: null, error: `Cannot read ${entry.upPath}: ${errorMessage(err)}` };
  }
  const file = await parseSqlFile(entry.upPath, text);
  buildOperations(file);
  return { entry, index, file, error: null };
}
