// The plan: which tests run together, in which order.

/**
 * One test as the runner takes it, relative to the project directory, posix separators:
 * "tests/test_api.py::TestX::test_y" (pytest node id), "tests/test_api.py" (a whole file),
 * "src/a.test.ts" (jest). It is also what people read in reports and repro commands.
 */
export type TestId = string;

export interface Batch {
  /** 1-based, stable across shards and resumes. */
  readonly index: number;
  /** In the order the runner will run them: order matters for pollution. */
  readonly tests: readonly TestId[];
}

export interface Plan {
  readonly batches: readonly Batch[];
  /** The batch size asked for, or undefined when --batches K was given. */
  readonly batchSize: number | undefined;
  /** Set when the tests were shuffled; the same seed gives the same plan. */
  readonly seed: number | undefined;
}
