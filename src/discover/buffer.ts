/**
 * Linting a migration from an editor buffer (`--stdin --stdin-filename <file>`, `LintOptions.buffer`): the
 * buffer takes the place of that migration's migration.sql, or is a new migration when its folder does not
 * exist yet; the rest of the history is read from disk, and only the buffer's migration is linted.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { MigrationLintError } from "../errors.js";
import { compareByteOrder } from "../sources/prisma-migrate.js";
import type { MigrationEntry } from "../types.js";
import type { PrismaProject } from "./project.js";

export interface EditorBuffer {
  /** Where the migration is (absolute, or relative to `cwd`): `<migrations>/<name>/migration.sql`. */
  filePath: string;
  /** Its text as in the editor (bytes are decoded as migration files are). */
  text: string | Uint8Array;
}

/** The path discovery starts from: the buffer's file, or, for a migration not on disk yet, its nearest existing folder. */
export function bufferDiscoveryPath(filePath: string): string {
  let at = filePath;
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** The buffer's migration folder name. */
export const bufferMigrationName = (filePath: string): string => path.basename(path.dirname(filePath));

/**
 * The project's migrations with the buffer's in place: its folder's entry (given a migration.sql if the folder has
 * none), or a new entry in history order. A file that is not a migration.sql of this project is a usage error.
 */
export function withBufferEntry(entries: MigrationEntry[], project: PrismaProject, filePath: string): MigrationEntry[] {
  const dir = path.dirname(filePath);
  if (path.basename(filePath) !== "migration.sql" || path.dirname(dir) !== project.migrationsDir) {
    throw new MigrationLintError("usage", `--stdin-filename must name the migration.sql of a migration folder in ${project.migrationsDir} (it may not exist yet), e.g. ${path.join(project.migrationsDir, "20240101000000_add_user", "migration.sql")}.`, { file: filePath });
  }
  const name = path.basename(dir);
  const existing = entries.find((e) => e.name === name);
  if (existing) {
    // the buffer is the text: a folder that could not be listed has it all the same
    const { readError: _unlisted, ...entry } = existing;
    return entries.map((e) => (e === existing ? { ...entry, upPath: filePath } : e));
  }
  const added: MigrationEntry = { name, dir, upPath: filePath, downPath: null, extraFiles: [] };
  return [...entries, added].sort((a, b) => compareByteOrder(a.name, b.name));
}

