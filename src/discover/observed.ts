/**
 * The paths discovery looks at (the project layout, the config file search, the Prisma version walk), told to
 * whoever is recording them: a resident process keeps what discovery found, and revalidates it by these paths alone
 * (src/cache/resident-discovery.ts). Nothing records in a one-shot run; then each call is one empty-set check.
 */

/** What of a path an answer depends on: whether it exists and is a file or folder, or also what it holds. */
export type Observation = "kind" | "content";

export interface Observer {
  /** Called before the path is looked at: whatever changes after that call is seen by the next revalidation. */
  path(file: string, what: Observation): void;
  /** Discovery did something no path stands for (a recursive listing): its answer cannot be revalidated by paths. */
  unsure(): void;
}

const observers = new Set<Observer>();

export function observe(file: string, what: Observation): void {
  for (const observer of observers) observer.path(file, what);
}

/** A recursive listing (a folder schema's .prisma files): no revalidation by paths covers it. */
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
