// Reads what the per-test probes wrote (JSON lines, one event per line) and decides what one
// test's memory story was: one PerTestRecord per test and process, in run order.
// It tolerates a truncated or garbled line (the process may have been killed mid-write) by
// skipping it; it leaves every judgement (slope, suspects) to classify/ and bisect/ (bisect/suspect.ts).
// The line format is shared by src/probe/pytest/leakhunt_probe.py and src/probe/jest/setup.cjs.
import { readFile } from 'node:fs/promises';
import type { GrowthSite } from './growth-site.js';
import { sitesInSources } from './source-maps.js';

/** An allocation site that grew: pytest's tracemalloc lines, jest's V8 sampled functions. */
export type { GrowthSite };

/** A process a test started and left running (or unreaped: state "Z") after its teardown. */
export interface LeftoverProcess {
  readonly pid: number;
  /** Kernel state letter from /proc/PID/stat: "S" sleeping, "Z" zombie (never waited for)… */
  readonly state: string;
  /** Command line as /proc shows it, cut to 200 characters. */
  readonly command: string;
}

/** traced: tracemalloc's total; post-gc-rss: RSS after gc.collect(); post-gc-heap: V8 heap + external after gc(). */
export type RetainedSource = 'traced' | 'post-gc-rss' | 'post-gc-heap' | 'rss';

/** One test's memory as measured inside the test process. Goes into the report JSON. */
export interface PerTestRecord {
  /** pytest node id ("tests/test_a.py::test_x[1]") or jest "path/a.test.js > describe > name". */
  readonly test: string;
  /** The file the test lives in, as the runner named it (relative to its rootdir). */
  readonly file: string;
  /** Process that ran the test; several under pytest-xdist or jest workers. */
  readonly pid: number;
  /** xdist worker id ("gw0") or jest worker id, when the runner reported one. */
  readonly worker: string | undefined;
  /** 0-based position among the tests this process ran (the x axis of the slope fit). */
  readonly indexInProcess: number;
  /** False when the test started and its last phase never ended: it was running at the kill. */
  readonly finished: boolean;
  /** RSS of the test process just before the test's first phase (bytes). */
  readonly rssBeforeBytes: number;
  /** RSS of the test process after its last recorded phase (bytes). */
  readonly rssAfterBytes: number;
  /** Highest RSS of the test process during the test (VmHWM after a reset; bytes). */
  readonly peakBytes: number;
  /**
   * What the process still held once the test was over, the figure the accumulator rule
   * reads (bytes; docs/accumulators.md): pytest — tracemalloc's traced total when it ran,
   * else RSS after gc.collect(); jest — heap used + external after a forced full GC; an
   * old probe file without these — RSS after the test.
   */
  readonly retainedAfterBytes: number;
  /** Which figure retainedAfterBytes is. */
  readonly retainedSource: RetainedSource;
  /** Growth of the retained figure during this test (bytes, may be negative). */
  readonly retainedDeltaBytes: number;
  /**
   * No full GC (jest) or gc.collect() (pytest) after this test: the last measured figure was
   * carried (it could not move by more than the probe's step); its growth, 0 here, lands on
   * the next measured test.
   */
  readonly retainedCarried?: boolean;
  /**
   * A carried test's figure before any collection (pytest; bytes): an upper bound of what the
   * process held (a collection only frees), read by the accumulator rule for its per-test
   * baseline only (docs/accumulators.md). Absent when measured, and from jest's probe.
   */
  readonly retainedBoundBytes?: number;
  /** Summed RSS of the test process's live descendants after the test (bytes). */
  readonly childrenRssBytes: number;
  /** Wall time of the test, all phases (ms). */
  readonly durationMs: number;
  /** Processes started during the test and still present after it. */
  readonly leftovers: readonly LeftoverProcess[];
  /** Allocation sites that grew most (pytest, LEAKHUNT_TRACEMALLOC=1); empty otherwise. */
  readonly topGrowth: readonly GrowthSite[];
  /**
   * A phase of it failed (pytest probe's "outcome" line, written at once: a run killed later
   * leaves no JUnit). Absent when it did not, or the probe wrote no outcomes (older probes, jest).
   */
  readonly failed?: boolean;
  /** Wall clock (epoch ms) at the test's start and at its last phase's end, when the probe wrote them. */
  readonly startedAtMs?: number;
  readonly endedAtMs?: number;
}

interface PhaseLine {
  readonly event: 'phase';
  readonly test: string;
  readonly phase: string;
  readonly pid: number;
  readonly worker?: string;
  readonly file?: string;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly peakBytes?: number;
  /** jest: heap used + external before the test (no GC), and after a forced GC. */
  readonly heapBeforeBytes?: number;
  readonly heapAfterGcBytes?: number;
  readonly rssAfterGcBytes?: number;
  /** No full GC after this test (it could not move the figure by more than the probe's step): the retained figures are the last measured ones. */
  readonly retainedCarried?: boolean;
  /** pytest, after teardown: RSS after gc.collect(), and tracemalloc's traced total when on. */
  readonly retainedRssBytes?: number;
  readonly tracedBytes?: number;
  /** pytest, carried: the same figures before any collection (after a young one). */
  readonly retainedRssBoundBytes?: number;
  readonly tracedBoundBytes?: number;
  readonly childrenRssBytes?: number;
  readonly durationMs: number;
  readonly leftovers?: LeftoverProcess[];
  readonly topGrowth?: GrowthSite[];
  /** Epoch ms at the phase's end. */
  readonly tMs?: number;
}

interface StartLine {
  readonly event: 'start';
  readonly test: string;
  readonly pid: number;
  readonly worker?: string;
  readonly file?: string;
  /** Epoch ms before the test's first phase. */
  readonly tMs?: number;
  /** A file's first test: the retained figures just before it (after the file loaded, after a GC). */
  readonly heapBeforeGcBytes?: number;
  readonly retainedRssBeforeBytes?: number;
  readonly tracedBeforeBytes?: number;
  /** JS probes: RSS at the start, for a test killed before its phase line (no phase, no earlier test in its process). */
  readonly rssBeforeBytes?: number;
}

interface SitesLine {
  readonly event: 'sites';
  readonly test: string;
  readonly pid: number;
  readonly sites: GrowthSite[];
}

/** jest: the source map of a file the sites name (its sources relative to the project). */
interface SourceMapLine {
  readonly event: 'sourcemap';
  readonly pid: number;
  readonly file: string;
  readonly map: unknown;
}

type ProbeLine = StartLine | PhaseLine;

/** The phase after which a test is over, per runner: pytest "teardown", jest "test". */
const LAST_PHASES: ReadonlySet<string> = new Set(['teardown', 'test']);

/** Reads a probe file; a missing file (the run died before the first test) gives []. */
export async function readProbeFile(path: string): Promise<PerTestRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseProbeLines(text);
}

/** Parses probe JSON lines into one record per test run in a process (a repeated test: one per run), in the order tests started. */
export function parseProbeLines(text: string): PerTestRecord[] {
  // The entry each (process, test) is filling now; a test run again in the same process (the
  // accumulator confirmation repeats a lone contributor) starts a second record after its first ended.
  const building = new Map<string, Building>();
  const entries: Building[] = [];
  const nextIndex = new Map<number, number>();
  // Failed tests by id: an outcome line belongs to the test's latest record (under xdist the
  // controller may write it, from another pid than the worker's).
  const failed = new Set<Building>();
  const latest = new Map<string, Building>();
  for (const line of text.split('\n')) {
    const failedTest = failedTestOf(line);
    const failedEntry = failedTest === undefined ? undefined : latest.get(failedTest);
    if (failedEntry !== undefined) failed.add(failedEntry);
    const event = parseLine(line);
    if (event === undefined) continue;
    const key = `${event.pid}\u0000${event.test}`;
    let entry = building.get(key);
    const again = entry !== undefined && event.event === 'start' && entry.phases.some((p) => LAST_PHASES.has(p.phase));
    if (entry === undefined || again) {
      const index = nextIndex.get(event.pid) ?? 0;
      nextIndex.set(event.pid, index + 1);
      entry = { start: event, index, phases: [] };
      building.set(key, entry);
      entries.push(entry);
      latest.set(event.test, entry);
    }
    if (event.event === 'phase') entry.phases.push(event);
  }
  const previous = new Map<number, PerTestRecord>();
  return entries.map((entry) => {
    const record = toRecord(entry, previous.get(entry.start.pid));
    previous.set(record.pid, record);
    return failed.has(entry) ? { ...record, failed: true } : record;
  });
}

/**
 * When the latest test started (epoch ms, its start line's tMs), undefined before any did: what
 * a lone test's own time is counted from (classify/hang.ts). A line cut by a kill is skipped.
 */
export function latestTestStartMs(text: string): number | undefined {
  let latest: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.includes('"start"')) continue;
    const event = parseLine(line);
    if (event?.event === 'start' && typeof event.tMs === 'number' && (latest === undefined || event.tMs > latest)) latest = event.tMs;
  }
  return latest;
}

/** The test of an outcome line that says "failed" ({"event":"outcome","test",…,"outcome":"failed"}). */
function failedTestOf(line: string): string | undefined {
  if (!line.includes('"outcome"')) return undefined;
  try {
    const value = JSON.parse(line) as { event?: unknown; test?: unknown; outcome?: unknown };
    return value.event === 'outcome' && value.outcome === 'failed' && typeof value.test === 'string' ? value.test : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The allocation sites that grew between a batch's start and its last finished test
 * (LEAKHUNT_TRACE_SITES=1), largest first; the process that ran the most tests when several did.
 */
export function parseProbeSites(text: string): GrowthSite[] {
  const last = new Map<number, { pid: number; sites: GrowthSite[]; count: number }>();
  const maps = new Map<number, Map<string, unknown>>();
  for (const line of text.split('\n')) {
    let value: unknown;
    try {
      value = line.trim() === '' ? undefined : JSON.parse(line);
    } catch {
      continue;
    }
    const map = value as Partial<SourceMapLine> | undefined;
    if (map?.event === 'sourcemap' && typeof map.pid === 'number' && typeof map.file === 'string') {
      if (!maps.has(map.pid)) maps.set(map.pid, new Map());
      maps.get(map.pid)!.set(map.file, map.map);
      continue;
    }
    const candidate = value as Partial<SitesLine> | undefined;
    if (candidate?.event !== 'sites' || typeof candidate.pid !== 'number' || !Array.isArray(candidate.sites)) continue;
    const count = (last.get(candidate.pid)?.count ?? 0) + 1;
    last.set(candidate.pid, { pid: candidate.pid, sites: candidate.sites, count });
  }
  const best = [...last.values()].sort((a, b) => b.count - a.count)[0];
  // jest writes a file's map once per process, before the first sites line that names it.
  return best === undefined ? [] : sitesInSources(best.sites, maps.get(best.pid) ?? new Map());
}

/** parseProbeSites of a probe file; a missing file gives []. */
export async function readProbeSites(path: string): Promise<GrowthSite[]> {
  try {
    return parseProbeSites(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

// The most exact figure the probe gave, with its "before" from the start line when there is one.
function retainedOf(
  start: ProbeLine,
  last: PhaseLine | undefined,
): { source: RetainedSource; after: number; before: number | undefined; bound?: number | undefined } | undefined {
  const before = start.event === 'start' ? start : undefined;
  if (last?.tracedBytes !== undefined)
    return { source: 'traced', after: last.tracedBytes, before: before?.tracedBeforeBytes, bound: last.tracedBoundBytes };
  if (last?.heapAfterGcBytes !== undefined)
    return { source: 'post-gc-heap', after: last.heapAfterGcBytes, before: before?.heapBeforeGcBytes };
  if (last?.retainedRssBytes !== undefined)
    return {
      source: 'post-gc-rss',
      after: last.retainedRssBytes,
      before: before?.retainedRssBeforeBytes,
      bound: last.retainedRssBoundBytes,
    };
  return undefined;
}

interface Building {
  readonly start: ProbeLine;
  readonly index: number;
  readonly phases: PhaseLine[];
}

function parseLine(line: string): ProbeLine | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined; // truncated by a kill mid-write
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.test !== 'string' || typeof candidate.pid !== 'number') return undefined;
  if (candidate.event === 'start') return candidate as unknown as StartLine;
  if (candidate.event === 'phase' && typeof candidate.rssAfterBytes === 'number') {
    return candidate as unknown as PhaseLine;
  }
  return undefined;
}

// A retained figure is compared with the same figure before the test: the file's baseline
// when the probe took one (a file's first test: what loading the file or the previous file's
// teardown did is no test's growth), else the previous test's in the same process, else
// (the first test of an old probe file) the test's own start. RSS compares with the test's
// own start. A test killed before its first phase ended takes its start line's RSS (JS probes),
// else borrows the previous test's RSS after.
function toRecord({ start, index, phases }: Building, previous: PerTestRecord | undefined): PerTestRecord {
  const first = phases[0];
  const last = phases[phases.length - 1];
  const rssBeforeBytes = first?.rssBeforeBytes ?? start.rssBeforeBytes ?? previous?.rssAfterBytes ?? 0;
  const rssAfterBytes = last?.rssAfterBytes ?? rssBeforeBytes;
  const retained = retainedOf(start, last);
  const retainedAfterBytes = retained?.after ?? rssAfterBytes;
  const sameSource = previous !== undefined && previous.retainedSource === retained?.source;
  const retainedBeforeBytes =
    retained === undefined
      ? rssBeforeBytes
      : (retained.before ?? (sameSource ? previous.retainedAfterBytes : undefined) ?? first?.heapBeforeBytes ?? retained.after);
  return {
    test: start.test,
    file: start.file ?? start.test.split('::')[0] ?? start.test,
    pid: start.pid,
    worker: start.worker,
    indexInProcess: index,
    finished: last !== undefined && LAST_PHASES.has(last.phase),
    rssBeforeBytes,
    rssAfterBytes,
    peakBytes: Math.max(rssAfterBytes, ...phases.map((p) => p.peakBytes ?? p.rssAfterBytes)),
    retainedAfterBytes,
    retainedSource: retained?.source ?? 'rss',
    retainedDeltaBytes: retainedAfterBytes - retainedBeforeBytes,
    ...(last?.retainedCarried === true && retained !== undefined ? { retainedCarried: true } : {}),
    ...(last?.retainedCarried === true && typeof retained?.bound === 'number' ? { retainedBoundBytes: retained.bound } : {}),
    childrenRssBytes: last?.childrenRssBytes ?? 0,
    durationMs: phases.reduce((sum, p) => sum + p.durationMs, 0),
    leftovers: phases.flatMap((p) => p.leftovers ?? []),
    topGrowth: phases.flatMap((p) => p.topGrowth ?? []),
    ...(typeof start.tMs === 'number' && { startedAtMs: start.tMs }),
    ...(typeof last?.tMs === 'number' && { endedAtMs: last.tMs }),
  };
}

/** Tests that left processes running (or unreaped) after they ended, in run order. */
export function leftovers(records: readonly PerTestRecord[]): { readonly test: string; readonly processes: readonly LeftoverProcess[] }[] {
  return records.filter((r) => r.leftovers.length > 0).map((r) => ({ test: r.test, processes: r.leftovers }));
}
