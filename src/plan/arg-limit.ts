// One batch is one exec: its test ids travel as arguments, and the kernel refuses an argument
// list past ARG_MAX (2 MiB on Linux with the environment, 1 MiB on macOS) with E2BIG. A batch
// whose ids would not fit is split here, before anything runs, and the caller says so.
import type { Batch, Plan, TestId } from './types.js';

/**
 * What a batch's ids may take of one exec's arguments: half of macOS's ARG_MAX, a quarter of
 * Linux's, leaving room for the runner's own options, the probe's and the environment.
 */
export const MAX_ARGUMENT_BYTES = 512 * 1024;

/** The kernel counts each argument's bytes, its NUL and its pointer in argv. */
export function argumentBytes(test: TestId): number {
  return Buffer.byteLength(test) + 1 + 8;
}

export interface FittedPlan {
  readonly plan: Plan;
  /** One line for people when batches were split, undefined when every batch fit. */
  readonly notice: string | undefined;
}

/** Splits every batch whose ids exceed `maxBytes` into consecutive parts that fit; renumbers. */
export function fitArgumentLimit(plan: Plan, maxBytes = MAX_ARGUMENT_BYTES): FittedPlan {
  const batches: Batch[] = [];
  const split: number[] = [];
  for (const batch of plan.batches) {
    const parts = chunkByBytes(batch.tests, maxBytes);
    if (parts.length > 1) split.push(batch.index);
    for (const tests of parts) batches.push({ index: batches.length + 1, tests });
  }
  if (split.length === 0) return { plan, notice: undefined };
  const shown = split.slice(0, 5).join(', ') + (split.length > 5 ? ', …' : '');
  return {
    plan: { ...plan, batches },
    notice: `batch(es) ${shown}: their test ids are more than one command line can carry (${Math.round(maxBytes / 1024)} KiB); split into ${batches.length} batches in all (use a smaller --batch-size to choose the split yourself)`,
  };
}

function chunkByBytes(tests: readonly TestId[], maxBytes: number): TestId[][] {
  const parts: TestId[][] = [];
  let current: TestId[] = [];
  let bytes = 0;
  for (const test of tests) {
    const size = argumentBytes(test);
    if (current.length > 0 && bytes + size > maxBytes) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(test);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
