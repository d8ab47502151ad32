// A declarative fake suite for bisection tests, like RSpec's FakeBisectRunner: say which
// tests are hogs, hangs, crashes, failing, polluters or interacting, and get an Executor whose
// verdicts a real run would show. Runs are evaluated in order, and a death ends the run:
// tests after it never ran (a hog before a victim kills the run before the victim fails) and
// a killed runner reports no failing tests.
import type { Executor, TrialResult } from '../../src/bisect/types.js';
import type { Verdict } from '../../src/classify/types.js';
import { makeMulberry32 } from '../../src/plan/shuffle.js';
import type { TestId } from '../../src/plan/types.js';

export interface PlantedCrash {
  readonly test: TestId;
  /** Default "SIGSEGV". */
  readonly signal?: string;
}

export interface PlantedPollution {
  /** One polluter; or use `polluters` for a set that pollutes only when all of it ran. */
  readonly polluter?: TestId;
  readonly polluters?: readonly TestId[];
  /** Fails when every polluter ran before it; passes otherwise. */
  readonly victim: TestId;
}

export type DeathOutcome = 'over-memory' | 'timeout' | 'crashed';

export interface PlantedInteraction {
  /** The run dies when the last of these has run (two tests that each take half the budget). */
  readonly tests: readonly TestId[];
  /** Default 'over-memory'. */
  readonly outcome?: DeathOutcome;
}

export interface SimulatedSuiteSpec {
  /** A count (ids t00…t15 for 16, t000…t999 for 1,000) or the ids themselves. */
  readonly tests: number | readonly TestId[];
  readonly hogs?: readonly TestId[];
  readonly hangs?: readonly TestId[];
  readonly crashes?: readonly PlantedCrash[];
  /** Fail on their own, wherever they run. */
  readonly failing?: readonly TestId[];
  readonly polluters?: readonly PlantedPollution[];
  readonly interactions?: readonly (readonly TestId[] | PlantedInteraction)[];
  /**
   * Flakiness, 0…1: with this probability a run's verdict flips. A run that would show a
   * planted failure passes ("it did not show up this time"); a run that would pass shows a
   * stray `failed` on a test no failure was planted on (an unrelated flaky assertion). Noise
   * never fakes a planted failure's exact signature: see docs/bisection.md.
   */
  readonly noise?: number;
  /** Seed of the noise (default 1); the same seed gives the same runs. */
  readonly seed?: number;
}

export interface SimulatedSuite {
  readonly ids: readonly TestId[];
  readonly executor: Executor;
  /** Executions so far. */
  readonly runs: number;
  /** Every execution, in order. */
  readonly history: readonly TrialResult[];
  /** The noise-free verdict of running `tests` in this order (no run is counted). */
  verdictOf(tests: readonly TestId[]): Verdict;
}

const MIB = 1024 ** 2;
export const SIMULATED_BUDGET_BYTES = 300 * MIB;
export const SIMULATED_TIMEOUT_MS = 10_000;
const BASE_PEAK_BYTES = 40 * MIB;
const PER_TEST_MS = 100;

export function simulatedSuite(spec: SimulatedSuiteSpec): SimulatedSuite {
  const ids = typeof spec.tests === 'number' ? makeIds(spec.tests) : [...spec.tests];
  const world = plant(spec);
  const random = makeMulberry32(spec.seed ?? 1);
  const history: TrialResult[] = [];
  const executor: Executor = {
    run: async (tests) => {
      const clean = evaluate(world, tests);
      const shown = (spec.noise ?? 0) > 0 && random() < (spec.noise ?? 0) ? flip(world, clean, tests, random) : clean;
      const trial: TrialResult = { tests: [...tests], runId: `sim-${history.length + 1}`, ...shown };
      history.push(trial);
      return trial;
    },
  };
  return {
    ids,
    executor,
    get runs() {
      return history.length;
    },
    history,
    verdictOf: (tests) => evaluate(world, tests).verdict,
  };
}

/** "t00"…"t15": zero-padded so ids sort in run order. */
export function makeIds(count: number): TestId[] {
  const width = Math.max(2, String(Math.max(count - 1, 0)).length);
  return Array.from({ length: count }, (_, index) => `t${String(index).padStart(width, '0')}`);
}

interface World {
  readonly deaths: ReadonlyMap<TestId, Death>;
  readonly failing: ReadonlySet<TestId>;
  readonly pollutions: readonly { readonly polluters: readonly TestId[]; readonly victim: TestId }[];
  readonly interactions: readonly PlantedInteraction[];
}

interface Death {
  readonly outcome: DeathOutcome;
  readonly signal: string | undefined;
}

function plant(spec: SimulatedSuiteSpec): World {
  const deaths = new Map<TestId, Death>();
  for (const test of spec.hogs ?? []) deaths.set(test, { outcome: 'over-memory', signal: undefined });
  for (const test of spec.hangs ?? []) deaths.set(test, { outcome: 'timeout', signal: undefined });
  for (const crash of spec.crashes ?? []) deaths.set(crash.test, { outcome: 'crashed', signal: crash.signal ?? 'SIGSEGV' });
  const pollutions = (spec.polluters ?? []).map((planted) => ({
    polluters: planted.polluters ?? (planted.polluter === undefined ? [] : [planted.polluter]),
    victim: planted.victim,
  }));
  const interactions = (spec.interactions ?? []).map((planted) => ('tests' in planted ? planted : { tests: planted }));
  return { deaths, failing: new Set(spec.failing ?? []), pollutions, interactions };
}

type Shown = Pick<TrialResult, 'verdict' | 'peakBytes' | 'durationMs'>;

function evaluate(world: World, tests: readonly TestId[]): Shown {
  const ran = new Set<TestId>();
  const failing: TestId[] = [];
  for (const [index, test] of tests.entries()) {
    ran.add(test);
    const death = world.deaths.get(test) ?? interactionDeath(world, test, ran);
    if (death !== undefined) return died(death, index + 1);
    const polluted = world.pollutions.some(
      (p) => p.victim === test && p.polluters.every((polluter) => ran.has(polluter) && polluter !== test),
    );
    if (world.failing.has(test) || polluted) failing.push(test);
  }
  const durationMs = tests.length * PER_TEST_MS;
  if (failing.length > 0) return { verdict: failedVerdict(failing), peakBytes: BASE_PEAK_BYTES, durationMs };
  return { verdict: passedVerdict(), peakBytes: BASE_PEAK_BYTES, durationMs };
}

function interactionDeath(world: World, test: TestId, ran: ReadonlySet<TestId>): Death | undefined {
  const completed = world.interactions.find((set) => set.tests.includes(test) && set.tests.every((member) => ran.has(member)));
  return completed === undefined
    ? undefined
    : { outcome: completed.outcome ?? 'over-memory', signal: completed.outcome === 'crashed' ? 'SIGSEGV' : undefined };
}

function died(death: Death, testsRun: number): Shown {
  const ranMs = testsRun * PER_TEST_MS;
  switch (death.outcome) {
    case 'over-memory':
      return {
        verdict: verdict('over-memory', 'tree peak 300 MiB reached the 300 MiB budget'),
        peakBytes: SIMULATED_BUDGET_BYTES,
        durationMs: ranMs,
      };
    case 'timeout':
      return { verdict: verdict('timeout', 'still running after 10.0 s'), peakBytes: BASE_PEAK_BYTES, durationMs: SIMULATED_TIMEOUT_MS };
    case 'crashed':
      return {
        verdict: { ...verdict('crashed', `killed by ${death.signal}`), signal: death.signal },
        peakBytes: BASE_PEAK_BYTES,
        durationMs: ranMs,
      };
  }
}

/** Noise: a failure that did not show up this time, or an unrelated test that failed. */
function flip(world: World, clean: Shown, tests: readonly TestId[], random: () => number): Shown {
  if (clean.verdict.outcome !== 'passed') return { ...clean, verdict: passedVerdict(), peakBytes: BASE_PEAK_BYTES };
  const planted = new Set([...world.failing, ...world.pollutions.map((p) => p.victim)]);
  const bystanders = tests.filter((test) => !planted.has(test));
  const stray = bystanders[Math.floor(random() * bystanders.length)];
  return stray === undefined ? clean : { ...clean, verdict: failedVerdict([stray]) };
}

function verdict(outcome: Verdict['outcome'], because: string): Verdict {
  return { outcome, because, failingTests: [], signal: undefined };
}

function failedVerdict(failing: readonly TestId[]): Verdict {
  return { ...verdict('failed', `${failing.length} test(s) failed: ${failing.join(', ')}`), failingTests: failing };
}

function passedVerdict(): Verdict {
  return verdict('passed', 'exit 0 and every test passed');
}

/** The planner's seeded PRNG: the same seed gives the same noise on every machine. */
export { makeMulberry32 as mulberry32 } from '../../src/plan/shuffle.js';
