// When batches may run side by side (`--jobs N`): at most N at once, and never more than
// the total memory budget (`--total-memory`) can hold, counting each running batch at its
// full budget — a budget is what a batch may take, so that is what must be free.
// Decides admission only; what runs is the caller's.
import pLimit from 'p-limit';
import { UsageError } from '../errors.js';
import { formatBytes } from '../util/bytes.js';

export interface ScheduleLimits {
  /** Batches running at once, ≥ 1. */
  readonly jobs: number;
  /** Sum of the memory budgets of running batches may not exceed this. */
  readonly totalMemoryBytes: number;
}

/** A batch that could never be admitted would wait forever: refuse before anything runs. */
export function validateSchedule(limits: ScheduleLimits, batchBudgetBytes: number): void {
  if (batchBudgetBytes <= limits.totalMemoryBytes) return;
  throw new UsageError(
    `--memory ${formatBytes(batchBudgetBytes)} per batch exceeds --total-memory ${formatBytes(limits.totalMemoryBytes)}: no batch could start`,
    'raise --total-memory, lower --memory, or run with --jobs 1',
  );
}

/**
 * Counts reserved bytes; `acquire` resolves once the bytes fit. Waiters are served first come,
 * first served, so a large batch is not overtaken forever by small ones.
 */
export class MemoryGate {
  private reservedBytes = 0;
  private readonly waiting: { bytes: number; admit: () => void }[] = [];

  constructor(private readonly totalBytes: number) {}

  async acquire(bytes: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.reservedBytes += bytes;
    else await new Promise<void>((admit) => this.waiting.push({ bytes, admit }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reservedBytes -= bytes;
      this.admitWaiting();
    };
  }

  private fits(bytes: number): boolean {
    return this.reservedBytes + bytes <= this.totalBytes;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.reservedBytes += next.bytes;
      next.admit();
    }
  }
}

/**
 * Runs `task` for every item, at most `limits.jobs` at once and within the memory total.
 * Items start in their order; results come back in that order whatever finished first.
 */
export async function runScheduled<T, R>(
  items: readonly T[],
  limits: ScheduleLimits,
  budgetBytesOf: (item: T) => number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(limits.jobs);
  const gate = new MemoryGate(limits.totalMemoryBytes);
  return Promise.all(
    items.map((item) =>
      limit(async () => {
        const release = await gate.acquire(budgetBytesOf(item));
        try {
          return await task(item);
        } finally {
          release();
        }
      }),
    ),
  );
}
