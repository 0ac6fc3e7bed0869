import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import type { MigrationEntry } from "../types.js";
import type { MigrationSource } from "./types.js";
import { observe } from "../discover/observed.js";

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

// Synchronous on purpose: a history is hundreds of tiny folders, and one
// promise round trip per folder cost ~100 ms on an 820-migration history.
function readDirSafe(dir: string): Dirent[] | Error {
  observe(dir, "content");
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Resolve what a directory entry is, following a symlink one level (never recursively). */
function entryKind(dir: string, entry: Dirent): "file" | "dir" | null {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "dir";
  if (entry.isSymbolicLink()) {
    try {
      const s = statSync(path.join(dir, entry.name));
      if (s.isFile()) return "file";
      if (s.isDirectory()) return "dir";
    } catch {
      // Dangling link or loop (ELOOP): not a migration.
    }
  }
  return null;
}

/** Why a symbolic link in the migrations folder cannot be followed, or null when it is not a broken link. */
function brokenLink(dir: string, entry: Dirent): string | null {
  if (!entry.isSymbolicLink()) return null;
  try {
    statSync(path.join(dir, entry.name));
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ELOOP" ? "is a symbolic link that loops" : code === "ENOENT" ? "is a broken symbolic link (its target does not exist)" : `is a symbolic link that cannot be followed (${code ?? String(err)})`;
  }
}

/**
 * `path.join(dir, name)` for a resolved folder (path.resolve: normalized, a separator at the end only at the
 * filesystem's root) and a name its listing gave (never empty, "." or "..", no separator): the same path without
 * normalizing it again (path.join was ~8 ms of a warm run's 820 migrations).
 */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** One migration folder of `migrationsDir`, a resolved folder (see `childPath`). */
function readMigration(migrationsDir: string, name: string): MigrationEntry {
  const dir = childPath(migrationsDir, name);
  const entries = readDirSafe(dir);
  // Prisma lists the folder as a migration too, and fails on it: reported, not skipped
  if (entries instanceof Error) return { name, dir, upPath: null, downPath: null, extraFiles: [], readError: `Cannot read the migration folder ${dir}: ${entries.message}. \`prisma migrate deploy\` fails on it too.` };
  let upPath: string | null = null;
  let downPath: string | null = null;
  const extraFiles: string[] = [];
  for (const entry of entries) {
    if (entryKind(dir, entry) !== "file") continue;
    const file = childPath(dir, entry.name);
    if (entry.name === "migration.sql") upPath = file;
    else if (entry.name === "down.sql") downPath = file;
    else extraFiles.push(file);
  }
  extraFiles.sort(compareByteOrder);
  return { name, dir, upPath, downPath, extraFiles };
}

/** Scripts a project's own migration runner executes (a data migration in code, `migration.ts`, `backfill.js`). */
const CODE_FILE = /\.(?:[cm]?[jt]s)$/i;

/**
 * A folder that holds a data migration in code and no migration.sql: the
 * project runs its migrations with its own runner (which applies these
 * scripts between the SQL ones), so the folder is not a broken SQL migration.
 * It holds no SQL to lint and adds nothing to the history.
 */
export function isCodeMigration(entry: MigrationEntry): boolean {
  return entry.upPath === null && !entry.readError && entry.extraFiles.some((file) => CODE_FILE.test(file));
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
    const listed = listMigrationNames(root);
    return listed ? listed.names.map((name) => migrationEntry(root, name, listed.broken.get(name))) : [];
  },
};

/**
 * The migration folder names of a migrations folder in the order Prisma applies them, and the links among them that
 * cannot be followed (with why); null when the folder cannot be read. The first half of `list`: a resident process
 * (src/cache/memory.ts) lists again and reads again only the folders that changed.
 */
export function listMigrationNames(root: string): { names: string[]; broken: Map<string, string> } | null {
  const entries = readDirSafe(root);
  if (entries instanceof Error) return null;
  const names: string[] = [];
  const broken = new Map<string, string>();
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    if (entryKind(root, entry) === "dir") names.push(entry.name);
    else {
      // a link that cannot be followed is most likely a migration folder moved or linked wrongly: said, not skipped
      const problem = /\.[A-Za-z0-9]+$/.test(entry.name) ? null : brokenLink(root, entry); // README.md, migration_lock.toml: files
      if (problem) {
        names.push(entry.name);
        broken.set(entry.name, problem);
      }
    }
  }
  names.sort(compareByteOrder);
  return { names, broken };
}

/**
 * One migration folder as `list` gives it, of `root`, a resolved folder; `brokenLink` is why the folder's link cannot
 * be followed, when it cannot.
 */
export function migrationEntry(root: string, name: string, brokenLink?: string): MigrationEntry {
  if (!brokenLink) return readMigration(root, name);
  const dir = childPath(root, name);
  return { name, dir, upPath: null, downPath: null, extraFiles: [], readError: `The migration folder ${dir} ${brokenLink}: there is no migration to apply or lint. Fix or remove the link.` };
}
