/**
 * What discovery found, kept by a resident process between its runs (src/cache/memory.ts): the project layout
 * (resolveTargets), the config file a search from a project's root finds, the runner facts (the Prisma version walk).
 * Each answer is kept with the state of every path discovery looked at to find it (src/discover/observed.ts): for a
 * path whose kind mattered, whether it is a file, a folder or absent; for a file it read, also its size, times and
 * inode. A run stats those paths (about a hundred on trigger.dev, no read, no parse) and discovers again when one
 * differs (a folder listed, as a folder schema's are: its times, which change when an entry is added, removed or
 * renamed); an answer that cannot be checked by paths (src/discover/observed.ts `unsure`), or that threw, is not kept.
 *
 * Times have a granularity (a few milliseconds on Linux, seconds elsewhere): a file changed twice within it, to the
 * same size, keeps its times. As git does with racily clean files (and the cache with migration files, RACY_MS), an
 * answer that read a file changed less than `settledMs` before discovery started is not kept, so the next run
 * discovers again.
 */
import { RACY_MS } from "../model/load.js";
import { observing, sameState, stateOf, type PathState } from "../discover/observed.js";

interface Kept {
  /** The paths looked at and their states, side by side (no entry arrays to make when a run revalidates them). */
  files: string[];
  states: PathState[];
  value: unknown;
}

export class ResidentDiscovery {
  private readonly kept = new Map<string, Kept>();
  /** Discoveries run (answers not taken from here): what the tests read to see that an answer was kept. */
  misses = 0;

  /** `settledMs`: how long before a discovery a file it read must have last changed for its answer to be kept (0: however recently; tests). */
  constructor(private readonly settledMs = RACY_MS) {}

  /**
   * The answer kept under `key` while every path it depends on is as it was; else `discover()`'s, kept when it
   * depends on paths alone. Keys name what the answer is of (the function and its arguments).
   */
  async remember<T>(key: string, discover: () => Promise<T>): Promise<T> {
    const kept = this.kept.get(key);
    if (kept && kept.files.every((file, i) => sameState(kept.states[i]!, stateOf(file, kept.states[i]!.length > 1 ? "content" : "kind")))) return kept.value as T;
    this.kept.delete(key);
    this.misses++;
    const started = Date.now();
    const paths = new Map<string, PathState>();
    let unsure = false;
    const value = await observing(
      {
        // the state before discovery looks at the path: a change after it is seen next time
        path: (file, what) => {
          const seen = paths.get(file);
          if (!seen || (what === "content" && seen.length === 1)) paths.set(file, stateOf(file, what));
        },
        unsure: () => void (unsure = true),
      },
      discover,
    );
    const racy = this.settledMs > 0 && [...paths.values()].some((state) => state.length > 1 && Math.max(state[2]!, state[3]!) > started - this.settledMs);
    if (!unsure && !racy) this.kept.set(key, { files: [...paths.keys()], states: [...paths.values()], value });
    return value;
  }

  /** Forgets every answer (the next run discovers again). */
  clear(): void {
    this.kept.clear();
  }
}
