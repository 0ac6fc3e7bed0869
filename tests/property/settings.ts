/**
 * fast-check settings for the property suites: a fixed seed per property so
 * `npm test` is reproducible, overridable to hunt for new counterexamples:
 *   FC_SEED=random FC_SCALE=20 npx vitest run tests/property
 */
const scale = Number(process.env.FC_SCALE ?? 1) || 1;

/** A property test's time limit (vitest's default is 30 s), grown with FC_SCALE so that a longer hunt is not cut short. */
export function fcTimeout(ms = 30_000): number {
  return Math.round(ms * Math.max(1, scale));
}

export function fcSettings(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const override = process.env.FC_SEED;
  return {
    seed: override === "random" ? Math.floor(Math.random() * 2 ** 31) : override ? Number(override) : seed,
    numRuns: Math.max(1, Math.round(numRuns * scale)),
  };
}
