// Tests of bad input assert on the error users see: its type, message and hint.
import { UsageError } from '../../src/errors.js';

/** Runs `run` and returns the UsageError it throws; fails the test if it throws nothing or something else. */
export function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}
