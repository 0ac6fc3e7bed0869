/**
 * fast-check settings for the property suites: a fixed seed per property so
 * `npm test` is reproducible, overridable to hunt for new counterexamples:
 *   FC_SEED=random FC_SCALE=20 npx vitest run tests/property
 */
export function fcSettings(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const override = process.env.FC_SEED;
  const scale = Number(process.env.FC_SCALE ?? 1) || 1;
  return {
    seed: override === "random" ? Math.floor(Math.random() * 2 ** 31) : override ? Number(override) : seed,
    numRuns: Math.max(1, Math.round(numRuns * scale)),
  };
}
