/**
 * Reads every migration of a history once, hashes it, and parses the ones a
 * run needs (with the cache, only those after the last cached catalog).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { MigrationEntry } from "../types.js";
import type { LoadedMigration } from "../engine/linter.js";
import { liteSqlFile, parseSqlFile } from "../parse/sql.js";
import { buildOperations } from "./build.js";
import { errorMessage } from "../errors.js";

/** Decodes a file: UTF-8 (BOM kept for SourceText to strip), or UTF-16 when it starts with a UTF-16 BOM. */
export function decodeText(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder("utf-16le").decode(buffer.subarray(2));
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder("utf-16be").decode(buffer.subarray(2));
  return buffer.toString("utf8");
}

export interface MigrationSourceText {
  entry: MigrationEntry;
  index: number;
  text: string | null;
  error: string | null;
  /** sha1 of the file's bytes ("" when unreadable). */
  hash: string;
  /** sha1 over this migration and every one before it: the identity of the history up to here. */
  chain: string;
}

/**
 * Reads the migration files. Synchronous on purpose: they are small and
 * many, and synchronous reads measured faster than promise-based ones (no
 * per-file handle and event-loop round trip).
 */
export function readMigrationSources(entries: MigrationEntry[]): MigrationSourceText[] {
  let chain = "";
  return entries.map((entry, index) => {
    let text: string | null = null;
    let error: string | null = null;
    let hash = "";
    if (!entry.upPath) {
      error = `Migration folder "${entry.name}" has no migration.sql: \`prisma migrate deploy\` fails on it. Add the script or remove the folder.`;
    } else {
      try {
        const bytes = readFileSync(entry.upPath);
        hash = createHash("sha1").update(bytes).digest("hex");
        text = decodeText(bytes);
      } catch (err) {
        error = `Cannot read ${entry.upPath}: ${errorMessage(err)}`;
      }
    }
    entry.extraTexts = readExtraTexts(entry.extraFiles);
    // the folder's other files count too: a down.sql or README changes what rules say about it
    const extras = JSON.stringify([entry.downPath !== null, entry.extraFiles.map((f) => [f, entry.extraTexts?.[f] ?? null])]);
    chain = createHash("sha1").update(chain).update("\0").update(entry.name).update("\0").update(hash).update("\0").update(extras).digest("hex");
    return { entry, index, text, error, hash, chain };
  });
}

const EXTRA_TEXT = /\.(md|markdown|txt|sql)$/i;
const EXTRA_TEXT_LIMIT = 256 * 1024;

function readExtraTexts(files: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) {
    if (!EXTRA_TEXT.test(file)) continue;
    try {
      const bytes = readFileSync(file);
      if (bytes.length <= EXTRA_TEXT_LIMIT) out[file] = decodeText(bytes);
    } catch {
      // an unreadable README is not a finding; the rule sees the file without text
    }
  }
  return out;
}

/** Parses migrations from `fromIndex` on; earlier ones get a statement-less file (text only). */
export async function parseMigrations(sources: MigrationSourceText[], fromIndex = 0): Promise<LoadedMigration[]> {
  const out: LoadedMigration[] = [];
  for (const source of sources) {
    const { entry, index, text, error } = source;
    if (text === null) {
      out.push({ entry, index, file: null, error });
      continue;
    }
    if (index < fromIndex) {
      out.push({ entry, index, file: liteSqlFile(entry.upPath!, text), error: null });
      continue;
    }
    const file = await parseSqlFile(entry.upPath!, text);
    buildOperations(file);
    out.push({ entry, index, file, error: null });
  }
  return out;
}

export async function loadMigrations(entries: MigrationEntry[]): Promise<LoadedMigration[]> {
  return parseMigrations(readMigrationSources(entries));
}
