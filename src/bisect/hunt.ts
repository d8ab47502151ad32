// The coordinator: where strategies meet the executor. For one failing batch it chases each
// failure the batch run showed (one hunt per signature; each failing test of a `failed` batch
// is its own hunt), then each death the trials revealed that the batch run hid (a hang behind
// a hog). It owns the run budget, Ctrl-C and the events; it spawns nothing itself.
import { failureKey, isHuntable, reproduces, type Signature, signaturesOf } from '../classify/signature.js';
import type { Outcome } from '../classify/types.js';
import { UsageError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { type CachingExecutor, isCachingExecutor, makeCachingExecutor } from './cache.js';
import { type ChaseContext, chaseSignature } from './chase.js';
import { type FindingFacts, makeUnresolvedFinding } from './findings.js';
import { HuntStopped, type RunLedger, Trials } from './trials.js';
import type { BatchHunt, Executor, Finding, TrialResult } from './types.js';

export interface HuntOptions {
  /** --repeat k (default 1): each trial runs up to k times; it fails if any run reproduces. */
  readonly repeat: number;
  /** --max-runs N: executions this batch may make in all its hunts (Infinity: no cap). */
  readonly maxRuns: number;
  /** Ctrl-C: stop before the next run and return what was learned. */
  readonly abort?: AbortSignal;
  /** `leakhunt bisect --outcome X`: chase only these failures (default: every failure). */
  readonly chase?: (signature: Signature) => boolean;
  /** The time budget a lone hang is confirmed with (classify/hang.ts); undefined: the batch's. */
  readonly hangTimeoutMs?: number;
  /** Trials a hunt may have running at once (--jobs; the executor admits them). Default 1. */
  readonly width?: number;
  /** The batch ran with the per-test probe: a failure hunt then runs without it (huntSignature). */
  readonly probed?: boolean;
}

export type BisectEvent =
  | { type: 'hunt-started'; batchIndex: number; signature: Signature; tests: number; runsEstimated: number }
  | { type: 'trial-finished'; batchIndex: number; trial: TrialResult; matched: boolean; runsUsed: number }
  | { type: 'finding'; finding: Finding }
  /** A strategy other than halving, said before its first run with what it may cost (e.g. prefix runs without a probe). */
  | { type: 'strategy'; batchIndex: number; text: string; runsEstimated: number }
  | {
      type: 'hunt-stopped';
      batchIndex: number;
      reason: 'max-runs' | 'interrupted';
      smallestFailingSet: readonly TestId[];
    };

/**
 * Runs for one lone culprit that reproduces every time: the confirmation, then per halving
 * level one failing half (1 run) and one passing half (`repeat` runs), then `repeat`
 * verification runs. An estimate: more culprits, interactions and flakiness cost more.
 */
export function estimateRuns(testCount: number, repeat: number): number {
  if (testCount <= 0) return 0;
  const levels = Math.ceil(Math.log2(testCount));
  return 1 + (repeat + 1) * levels + repeat;
}

export async function huntBatch(
  batchIndex: number,
  tests: readonly TestId[],
  original: TrialResult,
  executor: Executor,
  options: HuntOptions,
  emit: (event: BisectEvent) => void = () => undefined,
): Promise<BatchHunt[]> {
  validateHuntOptions(options);
  const batch: BatchContext = {
    batchIndex,
    cache: isCachingExecutor(executor) ? executor : makeCachingExecutor(executor),
    ledger: { used: 0, max: options.maxRuns },
    options,
    emit,
    queue: new HuntQueue(tests, original),
    polluters: [],
  };
  const hunts: BatchHunt[] = [];
  for (let next = batch.queue.next(); next !== undefined; next = batch.queue.next()) {
    if (options.chase !== undefined && !options.chase(next.signature)) continue;
    if (explainedAlready(batch.cache, hunts, next.signature)) continue;
    const hunt = await huntSignature(batch, next);
    batch.queue.finished(hunt);
    for (const finding of hunt.findings) {
      const known = batch.polluters.some((set) => set.join('\u0000') === finding.culprits.join('\u0000'));
      if (finding.kind === 'polluter' && !known) batch.polluters.push(finding.culprits);
    }
    hunts.push(hunt);
  }
  return hunts;
}

/**
 * A failing test already seen failing in a list that fails on its own: one file whose three
 * tests fail alone is one finding from one run, not three hunts that each name the same file.
 */
function explainedAlready(cache: CachingExecutor, hunts: readonly BatchHunt[], signature: Signature): boolean {
  if (signature.failingTest === undefined) return false;
  const alone = hunts.flatMap((hunt) => hunt.findings).filter((finding) => finding.kind === 'failing');
  return alone.some((finding) => cache.known(finding.reproTests).some((trial) => reproduces(signature, trial.verdict)));
}

interface BatchContext {
  readonly batchIndex: number;
  readonly cache: CachingExecutor;
  readonly ledger: RunLedger;
  readonly options: HuntOptions;
  readonly emit: (event: BisectEvent) => void;
  readonly queue: HuntQueue;
  /** Polluter sets named so far in this batch, tried first against the next victims. */
  readonly polluters: (readonly TestId[])[];
}

async function huntSignature(batch: BatchContext, hunt: QueuedHunt): Promise<BatchHunt> {
  const { batchIndex, emit, options } = batch;
  const runsEstimated = estimateRuns(hunt.tests.length, options.repeat);
  emit({ type: 'hunt-started', batchIndex, signature: hunt.signature, tests: hunt.tests.length, runsEstimated });
  const onTrial = (trial: TrialResult, matched: boolean): void => {
    emit({ type: 'trial-finished', batchIndex, trial, matched, runsUsed: batch.ledger.used });
    batch.queue.discover(trial);
  };
  const trials = new Trials(
    batch.cache,
    hunt.signature,
    batch.ledger,
    {
      repeat: options.repeat,
      abort: options.abort,
      onTrial,
      ...(options.hangTimeoutMs !== undefined && { hangTimeoutMs: options.hangTimeoutMs }),
      ...(options.width !== undefined && { width: options.width }),
      // A failure (an assertion, not a death) is chased as the user's runner runs the tests:
      // it needs no per-test memory, and the probe's garbage collections between tests made
      // zope.interface's test_does_not_leak_on_unique_classes (it counts gc.get_objects())
      // fail under leakhunt alone, and pass as pytest runs it (docs/verdicts.md).
      ...(options.probed === true && hunt.signature.outcome === 'failed' && { runOptions: { withoutProbe: true } }),
    },
    hunt.tests,
    hunt.original,
  );
  const findings: Finding[] = [];
  const name = (finding: Finding): void => {
    findings.push(finding);
    emit({ type: 'finding', finding });
  };
  const facts: FindingFacts = { batchIndex, signature: hunt.signature };
  const context: ChaseContext = {
    facts,
    tests: hunt.tests,
    original: hunt.original,
    trials,
    name,
    pending: [],
    knownPolluters: batch.polluters,
  };

  let stopped: BatchHunt['stopped'] = 'done';
  try {
    await chaseSignature(context);
  } catch (error) {
    if (!(error instanceof HuntStopped)) throw error;
    if (error.reason !== 'trial-error') {
      stopped = error.reason;
      emit({ type: 'hunt-stopped', batchIndex, reason: error.reason, smallestFailingSet: trials.smallestFailing });
    }
    for (const finding of describeStop(context, error)) name(finding);
  }
  return { batchIndex, signature: hunt.signature, findings, runsUsed: trials.runsUsed, runsEstimated, stopped };
}

/** A stopped hunt says what it knows: unverified candidates, or the smallest failing set. */
function describeStop(context: ChaseContext, stop: HuntStopped): Finding[] {
  const { facts, trials } = context;
  if (context.pending.length > 0) {
    return context.pending.map((candidate) =>
      makeUnresolvedFinding(
        facts,
        candidate.reproTests,
        `${stop.detail} before ${candidate.culprits.join(' + ')} (${candidate.kind}) was verified: not named`,
        trials.runIdsOf(candidate.reproTests, true),
      ),
    );
  }
  const smallest = trials.smallestFailing;
  const evidence = smallest === context.tests ? [context.original.runId] : trials.runIdsOf(smallest, true);
  const size = smallest.length === 1 ? '1 test' : `${smallest.length} tests`;
  const because = `${stop.detail} after ${trials.runsUsed} run(s); the smallest set that still failed has ${size}`;
  return [makeUnresolvedFinding(facts, smallest, because, evidence)];
}

function validateHuntOptions(options: HuntOptions): void {
  if (!Number.isInteger(options.repeat) || options.repeat < 1) {
    throw new UsageError(
      `--repeat must be a whole number of at least 1, got ${String(options.repeat)}`,
      'use --repeat 3 for a flaky suite',
    );
  }
  if (Number.isNaN(options.maxRuns) || options.maxRuns < 0) {
    throw new UsageError(`--max-runs must be 0 or more, got ${String(options.maxRuns)}`, 'leave it out for no cap');
  }
}

interface QueuedHunt {
  readonly signature: Signature;
  readonly tests: readonly TestId[];
  readonly original: TrialResult;
}

/** Deaths hide everything after them, so a trial may show one the batch run could not. */
const DEATHS: ReadonlySet<Outcome> = new Set(['over-memory', 'oom-killed', 'timeout', 'crashed']);

/**
 * The hunts of one batch, in order: the batch run's own signatures, then deaths revealed by
 * trials (each once, from the shortest list that showed it before its hunt began), then any
 * trial that died of an already-hunted death although it holds none of that death's named
 * culprit sets (a second hog that a hang hid from the first hog hunt). A stray `failed` in a
 * trial is not chased: it is recorded in that trial's evidence, and chasing every unrelated
 * flaky assertion would spend the batch's runs on noise.
 */
class HuntQueue {
  readonly #waiting: QueuedHunt[] = [];
  readonly #seen = new Set<string>();
  /** Death trials of signatures already queued: checked against the findings once hunted. */
  readonly #revealed: TrialResult[] = [];
  /** Per signature key, the culprit sets its finished hunts blamed. */
  readonly #blamed = new Map<string, (readonly TestId[])[]>();

  constructor(tests: readonly TestId[], original: TrialResult) {
    for (const signature of signaturesOf(original.verdict)) this.add({ signature, tests, original });
  }

  next(): QueuedHunt | undefined {
    return this.#waiting.shift() ?? this.takeUnexplained();
  }

  finished(hunt: BatchHunt): void {
    const key = failureKey(hunt.signature);
    this.#blamed.set(key, [...(this.#blamed.get(key) ?? []), ...hunt.findings.map(explainedBy)]);
  }

  discover(trial: TrialResult): void {
    if (!isHuntable(trial.verdict) || !DEATHS.has(trial.verdict.outcome)) return;
    for (const signature of signaturesOf(trial.verdict)) {
      const key = failureKey(signature);
      const waiting = this.#waiting.findIndex((hunt) => failureKey(hunt.signature) === key);
      const queued = this.#waiting[waiting];
      if (!this.#seen.has(key)) {
        this.add({ signature, tests: trial.tests, original: trial });
      } else if (queued !== undefined && trial.tests.length < queued.tests.length) {
        this.#waiting[waiting] = { signature, tests: trial.tests, original: trial };
        this.#revealed.push(queued.original); // may hold another culprit: checked once hunted
      } else {
        this.#revealed.push(trial);
      }
    }
  }

  private add(hunt: QueuedHunt): void {
    this.#seen.add(failureKey(hunt.signature));
    this.#waiting.push(hunt);
  }

  /** The shortest revealed death whose list holds no culprit set blamed for it; used once. */
  private takeUnexplained(): QueuedHunt | undefined {
    this.#revealed.sort((a, b) => a.tests.length - b.tests.length);
    const index = this.#revealed.findIndex((trial) => {
      const [signature] = signaturesOf(trial.verdict);
      const blamed = signature === undefined ? undefined : this.#blamed.get(failureKey(signature));
      return (
        blamed !== undefined && !blamed.some((culprits) => culprits.length > 0 && culprits.every((test) => trial.tests.includes(test)))
      );
    });
    const [trial] = index < 0 ? [] : this.#revealed.splice(index, 1);
    const [signature] = trial === undefined ? [] : signaturesOf(trial.verdict);
    return trial === undefined || signature === undefined ? undefined : { signature, tests: trial.tests, original: trial };
  }
}

/** The tests a finished finding accounts for: its culprits, or the set it could not narrow or reproduce. */
function explainedBy(finding: Finding): readonly TestId[] {
  if (finding.kind === 'flaky') return finding.reproTests;
  return finding.smallestFailingSet ?? finding.culprits;
}
