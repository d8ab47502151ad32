// Splits the selected tests into batches, each run as one process tree under the budget.
// Decides batch boundaries and order only; which batches run where (shards) and when is
// decided elsewhere. Order is kept unless a seed asks for a shuffle: order matters for
// pollution, and a seeded shuffle makes a new order reproducible.
import { UsageError } from '../errors.js';
import { shuffleWithSeed } from './shuffle.js';
import type { Batch, Plan, TestId } from './types.js';

export interface PlanOptions {
  /** Tests per batch; the last batch takes the remainder. Default 3 (the seeds' workflow). */
  readonly batchSize?: number;
  /** Split into K batches of near-equal size instead; mutually exclusive with batchSize. */
  readonly batches?: number;
  /** When set, shuffle the tests reproducibly first. */
  readonly seed?: number;
}

export const DEFAULT_BATCH_SIZE = 3;

export function planBatches(tests: readonly TestId[], options: PlanOptions): Plan {
  validatePlanOptions(options);
  const ordered = options.seed === undefined ? [...tests] : shuffleWithSeed(tests, options.seed);
  if (options.batches !== undefined) {
    return { batches: splitIntoCount(ordered, options.batches), batchSize: undefined, seed: options.seed };
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  return { batches: splitBySize(ordered, batchSize), batchSize, seed: options.seed };
}

export function validatePlanOptions(options: PlanOptions): void {
  if (options.batchSize !== undefined && options.batches !== undefined) {
    throw new UsageError(
      `--batch-size ${options.batchSize} and --batches ${options.batches} cannot be used together`,
      'give --batch-size N (tests per batch) or --batches K (number of batches), not both',
    );
  }
  validatePositiveInteger('--batch-size', options.batchSize);
  validatePositiveInteger('--batches', options.batches);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new UsageError(`--seed must be an integer, got ${String(options.seed)}`, 'e.g. --seed 42');
  }
}

function validatePositiveInteger(flag: string, value: number | undefined): void {
  if (value === undefined || (Number.isSafeInteger(value) && value > 0)) return;
  // yargs turns a word into NaN: echoing "NaN" would name something the user never typed.
  const got = Number.isNaN(value) ? 'something that is not a number' : String(value);
  throw new UsageError(`${flag} must be a positive integer, got ${got}`, `e.g. ${flag} 3`);
}

function splitBySize(tests: readonly TestId[], batchSize: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < tests.length; start += batchSize) {
    batches.push({ index: batches.length + 1, tests: tests.slice(start, start + batchSize) });
  }
  return batches;
}

/**
 * K batches whose sizes differ by at most one; the first (n mod K) batches take the extra
 * test. K > n gives n batches of one: an empty batch would be a run that proves nothing.
 */
function splitIntoCount(tests: readonly TestId[], requestedCount: number): Batch[] {
  const count = Math.min(requestedCount, tests.length);
  const baseSize = Math.floor(tests.length / count);
  const largerBatches = tests.length % count;
  const batches: Batch[] = [];
  let start = 0;
  for (let position = 0; position < count; position++) {
    const size = baseSize + (position < largerBatches ? 1 : 0);
    batches.push({ index: position + 1, tests: tests.slice(start, start + size) });
    start += size;
  }
  return batches;
}
