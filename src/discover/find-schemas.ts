/**
 * The `*.prisma` files below a monorepo's root (src/discover/monorepo.ts): one synchronous walk
 * (src/discover/walk-prisma-files.ts) that reads each folder once and honours the `.gitignore` files it meets on the
 * way, as globby's `gitignore` option did with a search for the `.gitignore` files followed by a second walk for the
 * schemas, each folder listed twice from the thread pool (trigger.dev: 820 migration folders, ~150 ms of a warm run).
 *
 * What is searched, as before: no dot-folders or dot-files, no `node_modules`, `dist` or `.git`, nothing a
 * `.gitignore` ignores (those from the git root down to `root` included, a deeper file's rules before a shallower
 * one's, as git applies them), no symbolic links (neither folders nor files), a `.prisma` file at most 16 path
 * segments below `root`, and a folder that cannot be read is passed over. New: the subfolders of a Prisma migrations
 * folder (one holding migration_lock.toml) are not read. Prisma Migrate reads each of them as a migration
 * (`<name>/migration.sql`, and fails on one without it), so a `.prisma` file in one is a copy kept with that
 * migration, never the schema of a project.
 */
import { lstatSync, readFileSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { observe } from "./observed.js";
import { walkPrismaFiles, withSeparator, type PrismaFilesWalk } from "./walk-prisma-files.js";

/** The rules of one `.gitignore` file and the folder they are relative to (`prefix`: its path and a separator). */
interface IgnoreFile {
  prefix: string;
  rules: Ignore;
}

const SEARCH: PrismaFilesWalk<IgnoreFile[]> = {
  /** A schema is found at most 16 path segments down. */
  maxFolderDepth: 15,
  /** Installed packages, build output, git's own folder (dot-folders are skipped too). */
  skippedFolders: new Set(["node_modules", "dist", ".git"]),
  within: (dir, entries, outer) => {
    const own = entries.some((entry) => entry.name === ".gitignore" && entry.isFile()) ? readIgnoreFile(dir) : null;
    return own ? [...outer, own] : outer;
  },
  readsSubfolders: (entries) => !isMigrationsFolder(entries),
  keeps: (file, isFolder, ignoreFiles) => !isIgnored(file, isFolder, ignoreFiles),
};

/** Every `*.prisma` file below `root` (absolute, in no particular order); none when `root` lies in an ignored folder. */
export function findSchemaFiles(root: string): string[] {
  const start = path.resolve(root);
  const above = ignoreFilesAbove(start);
  return above ? walkPrismaFiles(start, above, SEARCH) : [];
}

function isMigrationsFolder(entries: Dirent[]): boolean {
  return entries.some((entry) => entry.name === "migration_lock.toml" && entry.isFile());
}

/**
 * The `.gitignore` files of the folders from the git root (the nearest folder up with a `.git`) down to `root`'s
 * parent, which the walk does not reach; null when `root` itself is in a folder they ignore (then everything in it
 * is ignored too). Without a git root only `root`'s own `.gitignore` counts.
 */
function ignoreFilesAbove(root: string): IgnoreFile[] | null {
  const chain: string[] = [];
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (dir !== root) chain.unshift(dir);
    if (hasGitFolder(dir)) break;
    if (path.dirname(dir) === dir) return [];
  }
  const files: IgnoreFile[] = [];
  for (const dir of chain) {
    if (files.length > 0 && isIgnored(dir, true, files)) return null;
    const file = isRegularFile(path.join(dir, ".gitignore")) ? readIgnoreFile(dir) : null;
    if (file) files.push(file);
  }
  return files.length > 0 && isIgnored(root, true, files) ? null : files;
}

function hasGitFolder(dir: string): boolean {
  observe(path.join(dir, ".git"), "kind");
  try {
    const stats = statSync(path.join(dir, ".git"));
    return stats.isDirectory() || stats.isFile();
  } catch {
    return false;
  }
}

function isRegularFile(file: string): boolean {
  observe(file, "kind");
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function readIgnoreFile(dir: string): IgnoreFile | null {
  observe(path.join(dir, ".gitignore"), "content");
  try {
    return { prefix: withSeparator(dir), rules: ignore().add(readFileSync(path.join(dir, ".gitignore"), "utf8")) };
  } catch {
    return null;
  }
}

/**
 * As git decides: the deepest `.gitignore` with a rule for the path (or a folder above it) decides. `file` is below
 * the folder of each of `ignoreFiles`.
 */
function isIgnored(file: string, isFolder: boolean, ignoreFiles: IgnoreFile[]): boolean {
  for (let i = ignoreFiles.length - 1; i >= 0; i--) {
    const { prefix, rules } = ignoreFiles[i]!;
    const below = file.slice(prefix.length);
    const relative = path.sep === "/" ? below : below.split(path.sep).join("/");
    const result = rules.test(isFolder ? `${relative}/` : relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
