import { readdir, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import path from "node:path";
import type { MigrationEntry } from "../types.js";
import type { MigrationSource } from "./types.js";

export type { MigrationSource } from "./types.js";

/**
 * Compare two names by the bytes of their UTF-8 encoding, the order Prisma
 * Migrate (Rust, sorting directory names) applies migrations in. This differs
 * from `localeCompare` (case/accents) and, for astral characters, from the
 * default UTF-16 `sort()`.
 */
export function compareByteOrder(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

async function readDirSafe(dir: string): Promise<Dirent[] | null> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
}

/** Resolve what a directory entry is, following a symlink one level (never recursively). */
async function entryKind(dir: string, entry: Dirent): Promise<"file" | "dir" | null> {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "dir";
  if (entry.isSymbolicLink()) {
    try {
      const s = await stat(path.join(dir, entry.name));
      if (s.isFile()) return "file";
      if (s.isDirectory()) return "dir";
    } catch {
      // Dangling link or loop (ELOOP): not a migration.
    }
  }
  return null;
}

async function readMigration(migrationsDir: string, name: string): Promise<MigrationEntry | null> {
  const dir = path.join(migrationsDir, name);
  const entries = await readDirSafe(dir);
  if (!entries) return null;
  let upPath: string | null = null;
  let downPath: string | null = null;
  const extraFiles: string[] = [];
  for (const entry of entries) {
    if ((await entryKind(dir, entry)) !== "file") continue;
    const file = path.join(dir, entry.name);
    if (entry.name === "migration.sql") upPath = file;
    else if (entry.name === "down.sql") downPath = file;
    else extraFiles.push(file);
  }
  extraFiles.sort(compareByteOrder);
  return { name, dir, upPath, downPath, extraFiles };
}

/**
 * Prisma Migrate layout: every (non-dot) subdirectory of the migrations folder
 * is one migration, applied in byte order of the folder names
 * (`20240101120000_add_user`, but any name works, e.g. `01_init`). Its forward
 * script is `migration.sql`; `down.sql` beside it is the optional down
 * migration. Files directly in the migrations folder (`migration_lock.toml`)
 * are not migrations.
 */
export const prismaMigrateSource: MigrationSource = {
  id: "prisma-migrate",
  async list(migrationsDir: string): Promise<MigrationEntry[]> {
    const root = path.resolve(migrationsDir);
    const entries = await readDirSafe(root);
    if (!entries) return [];
    const names: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      if ((await entryKind(root, entry)) === "dir") names.push(entry.name);
    }
    names.sort(compareByteOrder);
    const result: MigrationEntry[] = [];
    for (const name of names) {
      const migration = await readMigration(root, name);
      if (migration) result.push(migration);
    }
    return result;
  },
};
