/**
 * The paths discovery looks at (the project layout, the config file search, the Prisma version walk), told to
 * whoever is recording them: a resident process keeps what discovery found, and revalidates it by these paths alone
 * (src/cache/resident-discovery.ts). Nothing records in a one-shot run; then each call is one empty-set check.
 */
import { statSync, type Stats } from "node:fs";

/** What of a path an answer depends on: whether it exists and is a file or folder, or also what it holds. */
export type Observation = "kind" | "content";

export interface Observer {
  /**
   * Called before the path is looked at: whatever changes after that call is seen by the next revalidation. Where a
   * library reads the file first (the config file cosmiconfig loads), the call comes just after; a change in between
   * is then less than RACY_MS old, and neither recorder keeps an answer that read such a path.
   */
  path(file: string, what: Observation, stats?: Stats): void;
  /** Discovery did something no path stands for (an lstat): its answer cannot be revalidated by paths. */
  unsure(): void;
}

const observers = new Set<Observer>();

/** `stats`: the path's, stat'ed by the caller just now (saves the observer a second stat). */
export function observe(file: string, what: Observation, stats?: Stats): void {
  for (const observer of observers) observer.path(file, what, stats);
}

/**
 * An answer no revalidation by paths covers (whether a missing migrations folder is a symbolic link that leads
 * nowhere: a path's state is its target's). Recursive listings tell each folder they read instead
 * (src/discover/walk-prisma-files.ts).
 */
export function observeUnsure(): void {
  for (const observer of observers) observer.unsure();
}

/**
 * Runs `work` with `observer` told of every path discovery looks at meanwhile. Discovery running at the same time
 * for another caller tells it too: more paths than needed, which only revalidates more.
 */
export async function observing<T>(observer: Observer, work: () => Promise<T>): Promise<T> {
  observers.add(observer);
  try {
    return await work();
  } finally {
    observers.delete(observer);
  }
}

/**
 * Tells `observer` of every path discovery looks at from now until the returned function is called: for a whole
 * command line run (src/cli/record-run.ts), whose work is not one call.
 */
export function startObserving(observer: Observer): () => void {
  observers.add(observer);
  return () => void observers.delete(observer);
}

/** A path as discovery saw it: 0 absent, 1 a file, 2 a folder, 3 something else; then, for a read, size, mtime, ctime, inode. */
export type PathState = readonly number[];

function kindCode(stats: Stats | undefined): number {
  return !stats ? 0 : stats.isFile() ? 1 : stats.isDirectory() ? 2 : 3;
}

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR (a file where a folder was looked for), EACCES: as discovery sees it, nothing there
    return undefined;
  }
}

export function stateOf(file: string, what: Observation, stats = statOf(file)): PathState {
  const kind = kindCode(stats);
  return what === "kind" || !stats ? [kind] : [kind, stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

export function sameState(a: PathState, b: PathState): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
