/**
 * Where a run's time goes, by phase (`--debug` prints it). Each phase adds up the milliseconds measured around
 * its work; the rules' share is what the linter's time budget already measures (each visitor's time, less the
 * schema parse a visitor may wait for), so there is one clock for both.
 */
export const PHASES = ["discovery", "parse", "history", "rules", "replay", "report"] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseTimings = Partial<Record<Phase, number>>;

export function addTime(timings: PhaseTimings | undefined, phase: Phase, ms: number): void {
  if (timings) timings[phase] = (timings[phase] ?? 0) + ms;
}

/** Runs `work` and adds its time to `phase`. */
export function timed<T>(timings: PhaseTimings | undefined, phase: Phase, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    addTime(timings, phase, performance.now() - started);
  }
}

/** Runs async `work` and adds the time until it settles to `phase`. */
export async function timedAsync<T>(timings: PhaseTimings | undefined, phase: Phase, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    addTime(timings, phase, performance.now() - started);
  }
}

/** Adds every phase of `from` into `into`. */
export function addTimings(into: PhaseTimings, from: PhaseTimings): void {
  for (const phase of PHASES) if (from[phase] !== undefined) addTime(into, phase, from[phase]!);
}
