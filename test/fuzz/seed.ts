/**
 * Property tests run with a fixed seed in `npm test` (reproducible in CI) and with random
 * seeds and many more runs under `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED).
 */
export const FUZZ = {
  seed: process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS !== undefined ? Date.now() : 20261124,
  numRuns: Number(process.env.FUZZ_RUNS ?? 200),
};
