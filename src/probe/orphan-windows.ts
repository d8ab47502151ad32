// Names the test that started a leftover process of a run of several tests, by time: the
// process's start (from /proc or ps) against each test's [start, end] window from the probe.
// Never guesses: once both clocks' error is allowed for, a start that may lie outside every
// window or in two (tests back to back, parallel workers, a daemon forked at collection a
// few ms before the first test) names no test.
// Pure: records and orphans in, a pid → test map out.
import type { PerTestRecord } from './records.js';

/** The probe's own clock error: time.time()/Date.now() rounded to the ms, plus a write's latency. */
export const PROBE_CLOCK_SLACK_MS = 5;

export interface TimedOrphan {
  readonly pid: number;
  readonly startedAtMs?: number;
  /** How far off startedAtMs may be; absent: the process table's finest, 10 ms ticks. */
  readonly startResolutionMs?: number;
}

type Window = Pick<PerTestRecord, 'test' | 'startedAtMs' | 'endedAtMs' | 'finished'>;

/**
 * pid → the one test whose window holds the orphan's start. A test with no end (killed or
 * still running when the run ended) is open to the end of the run. A test without a start or
 * end time (an old probe) makes every orphan unnamed: its window is unknown and could hold it.
 */
export function nameOrphansByStartTime(orphans: readonly TimedOrphan[], records: readonly Window[]): Map<number, string> {
  const named = new Map<number, string>();
  if (records.length === 0 || records.some((r) => r.startedAtMs === undefined || (r.finished && r.endedAtMs === undefined))) return named;
  for (const orphan of orphans) {
    if (orphan.startedAtMs === undefined) continue;
    const slack = (orphan.startResolutionMs ?? 10) + PROBE_CLOCK_SLACK_MS;
    const at = orphan.startedAtMs;
    // The start is known only to within ±slack: that whole interval must lie in one test's
    // window and touch no other's; a gap between tests (collection, the next test's set-up
    // by the runner) is nobody's, so an interval reaching into one names no test.
    const touching = records.filter(
      (r) => at + slack >= (r.startedAtMs ?? Number.NaN) && at - slack <= (r.endedAtMs ?? Number.POSITIVE_INFINITY),
    );
    const holding = touching.filter(
      (r) => at - slack >= (r.startedAtMs ?? Number.NaN) && at + slack <= (r.endedAtMs ?? Number.POSITIVE_INFINITY),
    );
    const tests = new Set(touching.map((r) => r.test));
    const [only] = tests;
    if (holding.length === 0) continue;
    if (tests.size === 1 && only !== undefined) named.set(orphan.pid, only);
  }
  return named;
}
