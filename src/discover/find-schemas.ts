/**
 * The `*.prisma` files below a monorepo's root (src/discover/monorepo.ts): one synchronous walk that reads each
 * folder once and honours the `.gitignore` files it meets on the way, as globby's `gitignore` option did with a
 * search for the `.gitignore` files followed by a second walk for the schemas, each folder listed twice from the
 * thread pool (trigger.dev: 820 migration folders, ~150 ms of a warm run). Synchronous for the reason
 * src/sources/prisma-migrate.ts gives: one promise round trip a folder costs more than reading the folder.
 *
 * What is searched, as before: no dot-folders or dot-files, no `node_modules`, `dist` or `.git`, nothing a
 * `.gitignore` ignores (those from the git root down to `root` included, a deeper file's rules before a shallower
 * one's, as git applies them), no symbolic links (neither folders nor files), a `.prisma` file at most 16 path
 * segments below `root`, and a folder that cannot be read is passed over. New: the subfolders of a Prisma migrations
 * folder (one holding migration_lock.toml) are not read. Prisma Migrate reads each of them as a migration
 * (`<name>/migration.sql`, and fails on one without it), so a `.prisma` file in one is a copy kept with that
 * migration, never the schema of a project.
 */
import { lstatSync, readFileSync, readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { observe } from "./observed.js";

/** Never searched: installed packages, build output, git's own folder (dot-folders are skipped too). */
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".git"]);

/** Folders deeper than this below the root are not read: a schema is found at most 16 path segments down. */
const MAX_FOLDER_DEPTH = 15;

/** The rules of one `.gitignore` file and the folder they are relative to (`prefix`: its path and a separator). */
interface IgnoreFile {
  prefix: string;
  rules: Ignore;
}

/** Every `*.prisma` file below `root` (absolute, in no particular order); none when `root` lies in an ignored folder. */
export function findSchemaFiles(root: string): string[] {
  const start = path.resolve(root);
  const found: string[] = [];
  const above = ignoreFilesAbove(start);
  if (above) searchFolder(start, 0, above, found);
  return found;
}

function searchFolder(dir: string, depth: number, ignoreFiles: IgnoreFile[], found: string[]): void {
  let entries: Dirent[];
  observe(dir, "content");
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const own = entries.some((entry) => entry.name === ".gitignore" && entry.isFile()) ? readIgnoreFile(dir) : null;
  const rules = own ? [...ignoreFiles, own] : ignoreFiles;
  const migrationsFolder = entries.some((entry) => entry.name === "migration_lock.toml" && entry.isFile());
  // the path is built only for what is searched (path.join for each of 820 migration folders took ~15 ms unoptimised)
  const prefix = withSeparator(dir);
  for (const entry of entries) {
    const { name } = entry;
    if (name.startsWith(".")) continue;
    if (entry.isDirectory()) {
      if (migrationsFolder || depth >= MAX_FOLDER_DEPTH || SKIPPED_FOLDERS.has(name) || isIgnored(prefix + name, true, rules)) continue;
      searchFolder(prefix + name, depth + 1, rules, found);
    } else if (name.endsWith(".prisma") && entry.isFile() && !isIgnored(prefix + name, false, rules)) {
      found.push(prefix + name);
    }
  }
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

function withSeparator(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
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
