// Parameters of every fast-check property: a fixed seed, so CI meets the same draws every run
// (an unseeded property met a rare draw in CI and turned the whole run red). To explore new
// draws locally: FC_SEED=<n> FC_RUNS=<n> on the jest command line; a failure found that way is
// fixed in the product and its draw kept as an example test.

const explored = process.env.FC_SEED !== undefined || process.env.FC_RUNS !== undefined;

/** fast-check's `{ numRuns, seed }`, overridden by FC_RUNS / FC_SEED when set. */
export function propertyRuns(numRuns: number, seed: number): { numRuns: number; seed: number } {
  return { numRuns: Number(process.env.FC_RUNS ?? numRuns), seed: Number(process.env.FC_SEED ?? seed) };
}

/**
 * Jest timeout of a property test: hundreds of draws take a second idle and several times that
 * on a loaded 2-core machine (jest's 5 s default failed there); unbounded while exploring.
 */
export const PROPERTY_TIMEOUT_MS = explored ? 3_600_000 : 60_000;
