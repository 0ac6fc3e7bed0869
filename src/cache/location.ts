/**
 * Where a cache file is, found without loading the cache (src/cache/cache.ts): the daemon's client and the last
 * run's replay (src/cache/last-run.ts) ask before anything else of the linter is loaded.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";

export const DEFAULT_CACHE_FILE = ".migration-lint-cache";

export function statIsFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the cache lives when no `--cache-location` is given, keyed on the project, not the working directory (a run
 * from another folder finds the same file): `node_modules/.cache/migration-lint/` in the nearest folder from the
 * project root up to the repository's root that has a node_modules (where ESLint, Babel and others keep theirs,
 * ignored by git and dropped with the dependencies), else the project root.
 */
export function defaultCacheFile(projectRoot: string): string {
  for (let dir = projectRoot; ; ) {
    if (statIsFolder(path.join(dir, "node_modules"))) return path.join(dir, "node_modules", ".cache", "migration-lint", DEFAULT_CACHE_FILE);
    const parent = path.dirname(dir);
    if (parent === dir || existsSync(path.join(dir, ".git"))) break;
    dir = parent;
  }
  return path.join(projectRoot, DEFAULT_CACHE_FILE);
}

/** `--cache-location`: a file, or a folder (ends with a separator or exists as one) that gets the default name. */
export function resolveCacheLocation(cwd: string, location?: string): string {
  if (!location) return path.join(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= statSync(resolved).isDirectory();
  } catch {
    // does not exist yet: a file path
  }
  return isDir ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved;
}

