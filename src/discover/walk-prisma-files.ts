/**
 * The one walk for the `*.prisma` files below a folder, shared by the search for a monorepo's projects
 * (src/discover/find-schemas.ts) and the listing of a multi-file schema folder (`listPrismaFiles`,
 * src/discover/project.ts). Synchronous, for the reason src/sources/prisma-migrate.ts gives: one promise round trip
 * a folder costs more than reading the folder. Each folder is read once, with its entries' types, and told to
 * src/discover/observed.ts as read ("content": a folder's times change when an entry in it is added, removed or
 * renamed), so that an answer found by the walk can be checked again by these paths alone.
 *
 * Never read: dot-folders, folders named in `skippedFolders`, symbolic links to folders, folders more than
 * `maxFolderDepth` path segments below the start, and folders that cannot be read (passed over). Found: regular files
 * named `*.prisma` that do not start with a dot, as globby's `**\/*.prisma` (`dot: false`, `followSymbolicLinks:
 * false`) found them: a symbolic link to a file is not returned, nor a broken one.
 */
import { readdirSync, type Dirent } from "node:fs";
import path from "node:path";
import { observe } from "./observed.js";

/** How one walk decides; `S` is what applies to a folder's entries (the `.gitignore` rules in force), passed down. */
export interface PrismaFilesWalk<S> {
  /** Folders deeper than this many path segments below the start are not read. */
  maxFolderDepth: number;
  /** Folders with these names are not read, at any depth. */
  skippedFolders: ReadonlySet<string>;
  /** What applies to the entries of `dir`, given what applies to `dir` itself (`entries`: what `dir` holds). */
  within?(dir: string, entries: Dirent[], outer: S): S;
  /** Whether the subfolders of a folder holding `entries` are read (its files are, either way). */
  readsSubfolders?(entries: Dirent[]): boolean;
  /** Whether a subfolder is read, or a `.prisma` file found, by what applies to the folder that holds it. */
  keeps?(file: string, isFolder: boolean, scope: S): boolean;
}

/** Every `*.prisma` file below `start` (absolute, in the order the folders listed them). */
export function walkPrismaFiles<S>(start: string, scope: S, walk: PrismaFilesWalk<S>): string[] {
  const found: string[] = [];
  walkFolder(path.resolve(start), 0, scope, walk, found);
  return found;
}

function walkFolder<S>(dir: string, depth: number, outer: S, walk: PrismaFilesWalk<S>, found: string[]): void {
  let entries: Dirent[];
  observe(dir, "content");
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const scope = walk.within ? walk.within(dir, entries, outer) : outer;
  const subfolders = depth < walk.maxFolderDepth && (walk.readsSubfolders?.(entries) ?? true);
  // the path is built only for what is searched (path.join for each of 820 migration folders took ~15 ms unoptimised)
  const prefix = withSeparator(dir);
  for (const entry of entries) {
    const { name } = entry;
    if (name.startsWith(".")) continue;
    if (entry.isDirectory()) {
      if (subfolders && !walk.skippedFolders.has(name) && (walk.keeps?.(prefix + name, true, scope) ?? true)) walkFolder(prefix + name, depth + 1, scope, walk, found);
    } else if (name.endsWith(".prisma") && entry.isFile() && (walk.keeps?.(prefix + name, false, scope) ?? true)) {
      found.push(prefix + name);
    }
  }
}

export function withSeparator(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}
