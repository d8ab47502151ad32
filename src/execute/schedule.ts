// When batches may run side by side (`--jobs N`): at most N at once, and never more than
// the total memory budget (`--total-memory`) can hold, counting each running batch at its
// full budget — a budget is what a batch may take, so that is what must be free. The
// independent trials of one bisection (the parts of a split) take the same gate's free
// slots. Decides admission only; what runs is the caller's.
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
 * The job slots and the memory total together: one gate for everything that runs side by side
 * (batches, the bisections of different batches, and the extra trials of one bisection).
 * `acquire` waits its turn (first come, first served); `tryAcquire` takes a slot only when one
 * is free now and nobody waits, so a holder asking for more can never deadlock the others.
 */
export class JobGate {
  #running = 0;
  #reservedBytes = 0;
  readonly #waiting: { bytes: number; admit: () => void }[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(private readonly limits: ScheduleLimits) {}

  async acquire(bytes: number): Promise<() => void> {
    if (this.#waiting.length === 0 && this.fits(bytes)) this.take(bytes);
    else await new Promise<void>((admit) => this.#waiting.push({ bytes, admit }));
    return this.releaser(bytes);
  }

  /** A slot and `bytes` now, or undefined (nothing taken) when either is not free. */
  tryAcquire(bytes: number): (() => void) | undefined {
    if (this.#waiting.length > 0 || !this.fits(bytes)) return undefined;
    this.take(bytes);
    return this.releaser(bytes);
  }

  /** Called after every release: a holder waiting for a free slot tries again. */
  onRelease(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  private fits(bytes: number): boolean {
    return this.#running < this.limits.jobs && this.#reservedBytes + bytes <= this.limits.totalMemoryBytes;
  }

  private take(bytes: number): void {
    this.#running += 1;
    this.#reservedBytes += bytes;
  }

  private releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#reservedBytes -= bytes;
      while (this.#waiting.length > 0 && this.fits(this.#waiting[0]!.bytes)) {
        const next = this.#waiting.shift()!;
        this.take(next.bytes);
        next.admit();
      }
      for (const listener of [...this.#listeners]) listener();
    };
  }
}

/**
 * Runs `task` for every item, at most `limits.jobs` at once and within the memory total.
 * Items start in their order; results come back in that order whatever finished first.
 * `gate` is shared when the tasks themselves may ask for more slots (TrialLanes).
 */
export async function runScheduled<T, R>(
  items: readonly T[],
  limits: ScheduleLimits,
  budgetBytesOf: (item: T) => number,
  task: (item: T) => Promise<R>,
  gate: JobGate = new JobGate(limits),
): Promise<R[]> {
  return Promise.all(
    items.map(async (item) => {
      const release = await gate.acquire(budgetBytesOf(item));
      try {
        return await task(item);
      } finally {
        release();
      }
    }),
  );
}

/**
 * The runs of one bisection: its own slot (the one its batch was admitted with) and, when the
 * gate has one free, an extra slot for each more run asked for at the same time. Runs start
 * in the order asked; what each returns is the caller's. With one job, one run at a time.
 */
export class TrialLanes {
  #ownBusy = false;
  readonly #pending: { start: (release: () => void) => void }[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly gate: JobGate | undefined,
    /** What each extra run reserves of the memory total. */
    private readonly bytesOf: () => number,
    /** Runs one bisection may have going at once: --jobs. */
    readonly width: number,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        start: (release) => {
          task()
            .then(resolve, reject)
            .finally(() => {
              release();
              this.pump();
            });
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.#pending.length > 0) {
      if (!this.#ownBusy) {
        this.#ownBusy = true;
        this.#pending.shift()?.start(() => {
          this.#ownBusy = false;
        });
        continue;
      }
      const extra = this.width > 1 ? this.gate?.tryAcquire(this.bytesOf()) : undefined;
      if (extra === undefined) break;
      this.#pending.shift()?.start(extra);
    }
    // Waiting for a slot another holder frees; listening only while something waits.
    if (this.#pending.length > 0 && this.#unsubscribe === undefined && this.gate !== undefined && this.width > 1) {
      this.#unsubscribe = this.gate.onRelease(() => {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
        this.pump();
      });
    }
  }
}
