// A trial is one run bisection makes of a subset, to ask "does this ordered list still show
// the failure?" (docs/glossary.md). This turns that question into executions, and keeps the
// books a strategy must not see: the signature rule, the repeat rule, the run budget
// (--max-runs), Ctrl-C, and the smallest failing set seen so far. Strategies receive only
// `fails(tests)`; when the hunt must end, `fails` throws HuntStopped and the coordinator
// reports what was learned.
import { reproduces, type Signature } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import type { CachingExecutor } from './cache.js';
import { oneAfterAnother } from './split.js';
import type { RunOptions, TrialResult } from './types.js';

/** Why a hunt ended early. 'trial-error': a trial could not start, so it proves nothing. */
export type StopReason = 'max-runs' | 'interrupted' | 'trial-error';

export class HuntStopped extends Error {
  constructor(
    readonly reason: StopReason,
    /** One sentence for the report: what stopped the hunt. */
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HuntStopped';
  }
}

/** Executions one batch may still make; shared by every hunt of the batch. */
export interface RunLedger {
  used: number;
  readonly max: number;
}

export interface TrialsOptions {
  /** Runs per trial (--repeat). */
  readonly repeat: number;
  readonly abort: AbortSignal | undefined;
  /** Called after every real execution, matched or not (a different failure is evidence too). */
  readonly onTrial: (trial: TrialResult, matched: boolean) => void;
  /** The time budget a lone hang is confirmed with; undefined: the batch's own. */
  readonly hangTimeoutMs?: number;
  /** Trials this hunt may have running at once (--jobs); default 1, one after the other. */
  readonly width?: number;
  /** How every run of this hunt is made (a failure hunt: without the probe, hunt.ts). */
  readonly runOptions?: RunOptions;
}

export class Trials {
  #smallestFailing: readonly TestId[];
  #runsUsed = 0;
  /** runId → reproduced, for every run consulted (the tally of a flaky finding). */
  readonly #seen = new Map<string, boolean>();
  /** Every run consulted, in order: what a cleaner search looks back on. */
  readonly #looked: TrialResult[] = [];

  constructor(
    private readonly cache: CachingExecutor,
    readonly signature: Signature,
    private readonly ledger: RunLedger,
    private readonly options: TrialsOptions,
    /** The list known to fail when the hunt starts (the batch, or the trial that revealed it). */
    knownFailing: readonly TestId[],
    /** The run that showed the failure first: the first of the tally. */
    original?: TrialResult,
  ) {
    this.#smallestFailing = knownFailing;
    if (original !== undefined) this.#seen.set(original.runId, true);
  }

  /** The shortest list that reproduced the signature so far: the answer of last resort. */
  get smallestFailing(): readonly TestId[] {
    return this.#smallestFailing;
  }

  /** Executions this hunt made (cache reuse excluded). */
  get runsUsed(): number {
    return this.#runsUsed;
  }

  /** The time budget a lone hang is confirmed with (classify/hang.ts); undefined: the batch's. */
  get hangTimeoutMs(): number | undefined {
    return this.options.hangTimeoutMs;
  }

  get repeat(): number {
    return this.options.repeat;
  }

  /** True when this hunt's runs go without the per-test probe (a failure hunt, hunt.ts). */
  get withoutProbe(): boolean {
    return this.options.runOptions?.withoutProbe === true;
  }

  /** Trials this hunt may have running at once: how many parts a split may run side by side. */
  get width(): number {
    return Math.max(1, this.options.width ?? 1);
  }

  matches(trial: TrialResult): boolean {
    return reproduces(this.signature, trial.verdict);
  }

  /**
   * The narrowing question. A trial fails if ANY of up to `repeat` runs reproduces (failures
   * are the rare, informative event) and passes only when all of them pass; it stops at the
   * first reproduction. Runs already made of the same list count towards the `repeat`,
   * except `notCounting`: the run being confirmed cannot confirm itself.
   */
  async fails(tests: readonly TestId[], notCounting?: TrialResult): Promise<boolean> {
    const known = this.runsOf(tests).filter((trial) => trial !== notCounting);
    for (let attempt = 0; attempt < this.options.repeat; attempt += 1) {
      const trial = known[attempt] ?? (await this.execute(tests));
      if (!this.#seen.has(trial.runId)) this.#looked.push(trial);
      this.#seen.set(trial.runId, this.matches(trial));
      if (this.matches(trial)) {
        this.noteFailing(tests);
        return true;
      }
    }
    return false;
  }

  /**
   * `fails` for independent lists (the parts of one split): their fresh runs start side by
   * side, and every answer and book entry (the smallest failing set, the tally, the events)
   * is taken in the order of `lists`, so the outcome does not depend on which run finished
   * first. With width 1, exactly `fails` on each list in turn.
   */
  async failsEach(lists: readonly (readonly TestId[])[], notCounting?: TrialResult): Promise<boolean[]> {
    if (this.width <= 1 || lists.length <= 1) return oneAfterAnother((tests) => this.fails(tests, notCounting))(lists);
    const answers: (boolean | undefined)[] = lists.map(() => undefined);
    const known = lists.map((tests) => this.runsOf(tests).filter((trial) => trial !== notCounting));
    for (let attempt = 0; attempt < this.options.repeat; attempt += 1) {
      const open = answers.flatMap((answer, index) => (answer === undefined ? [index] : []));
      const toRun = open.filter((index) => known[index]?.[attempt] === undefined);
      const fresh = await this.executeEach(toRun.map((index) => lists[index] ?? []));
      for (const index of open) {
        const trial = known[index]?.[attempt] ?? fresh[toRun.indexOf(index)];
        if (trial === undefined) continue;
        if (!this.#seen.has(trial.runId)) this.#looked.push(trial);
        this.#seen.set(trial.runId, this.matches(trial));
        if (this.matches(trial)) {
          this.noteFailing(lists[index] ?? []);
          answers[index] = true;
        }
      }
    }
    return answers.map((answer) => answer === true);
  }

  /** Fresh evidence: runs `tests` exactly `times` more times, whatever was seen before. */
  async rerun(tests: readonly TestId[], times: number, options?: RunOptions): Promise<TrialResult[]> {
    const trials: TrialResult[] = [];
    const merged = options === undefined ? undefined : { ...this.options.runOptions, ...options };
    const run = merged === undefined ? undefined : (): Promise<TrialResult> => this.cache.rerun(tests, merged);
    for (let attempt = 0; attempt < times; attempt += 1) trials.push(await this.execute(tests, run));
    return trials;
  }

  /** Every remembered run of exactly this list, oldest first. */
  runsOf(tests: readonly TestId[]): readonly TrialResult[] {
    return this.cache.known(tests);
  }

  /** runIds of the remembered runs of `tests` that did (or did not) reproduce. */
  runIdsOf(tests: readonly TestId[], matched: boolean): string[] {
    return this.cache
      .known(tests)
      .filter((trial) => this.matches(trial) === matched)
      .map((trial) => trial.runId);
  }

  /** Every run this hunt looked at (made, or reused from the cache): k of m evidence. */
  get tally(): { readonly reproduced: number; readonly runs: number } {
    return { reproduced: [...this.#seen.values()].filter(Boolean).length, runs: this.#seen.size };
  }

  /** Every run this hunt consulted (made or reused), oldest first. */
  get looked(): readonly TrialResult[] {
    return this.#looked;
  }

  /** Whether the runner can collect tests it does not run (see Executor.runCollected). */
  get canRunCollected(): boolean {
    return this.cache.runCollected !== undefined;
  }

  /**
   * One fresh run of `selected` with every entry of `collected` collected, the others
   * deselected; undefined when the runner cannot (then nothing ran).
   */
  async runCollected(collected: readonly TestId[], selected: readonly TestId[]): Promise<TrialResult | undefined> {
    const runCollected = this.cache.runCollected;
    if (runCollected === undefined) return undefined;
    return this.execute(selected, () => runCollected(collected, selected, this.options.runOptions), false);
  }

  private async execute(
    tests: readonly TestId[],
    run: () => Promise<TrialResult> = () => this.cache.rerun(tests, this.options.runOptions),
    narrowsTo = true,
  ): Promise<TrialResult> {
    this.checkBudget();
    this.ledger.used += 1;
    this.#runsUsed += 1;
    return this.book(tests, await run(), narrowsTo);
  }

  /**
   * Fresh runs of several lists side by side, as many as the run budget allows (in order);
   * booked in the order given once all have ended, then the budget's stop if some did not fit.
   */
  private async executeEach(lists: readonly (readonly TestId[])[]): Promise<TrialResult[]> {
    if (lists.length === 0) return [];
    this.checkBudget();
    const started = lists.slice(0, Math.max(0, this.ledger.max - this.ledger.used));
    this.ledger.used += started.length;
    this.#runsUsed += started.length;
    const ended = await Promise.allSettled(started.map((tests) => this.cache.rerun(tests, this.options.runOptions)));
    const trials: TrialResult[] = [];
    for (const [index, result] of ended.entries()) {
      if (result.status === 'rejected') throw result.reason;
      trials.push(this.book(started[index] ?? [], result.value, true));
    }
    if (started.length < lists.length) this.checkBudget();
    return trials;
  }

  private checkBudget(): void {
    if (this.options.abort?.aborted === true) throw new HuntStopped('interrupted', 'interrupted');
    if (this.ledger.used >= this.ledger.max) {
      throw new HuntStopped('max-runs', `stopped at the run budget (--max-runs ${this.ledger.max})`);
    }
  }

  private book(tests: readonly TestId[], trial: TrialResult, narrowsTo: boolean): TrialResult {
    const matched = this.matches(trial);
    this.#seen.set(trial.runId, matched);
    this.#looked.push(trial);
    if (matched && narrowsTo) this.noteFailing(tests);
    this.options.onTrial(trial, matched);
    // Neither outcome says anything about the culprit: one was cut short, one never started.
    if (trial.verdict.outcome === 'interrupted') throw new HuntStopped('interrupted', 'interrupted');
    if (trial.verdict.outcome === 'error') {
      throw new HuntStopped('trial-error', `a trial could not start (${trial.verdict.because})`);
    }
    return trial;
  }

  private noteFailing(tests: readonly TestId[]): void {
    if (tests.length < this.#smallestFailing.length) this.#smallestFailing = [...tests];
  }
}
