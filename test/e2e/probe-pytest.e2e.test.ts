// The pytest probe on real pytest runs: the env/argv come from probeArgs, exactly as a
// runner preset would merge them; memory really grows, hangs really hang, children really live.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { smallestFailingPrefix } from '../../src/bisect/accumulator-prefix.js';
import { suspectFromRecords } from '../../src/bisect/suspect.js';
import type { Executor, TrialResult } from '../../src/bisect/types.js';
import { judgeAccumulation, retainedPoints } from '../../src/classify/accumulator/rule.js';
import { type ProbeAttachment, PYTEST_PROBE_DIR, probeArgs } from '../../src/probe/attach.js';
import { leftovers, type PerTestRecord, readProbeFile } from '../../src/probe/records.js';
import { summarizePythonStack } from '../../src/probe/stack-summary.js';
import { collectStacks } from '../../src/probe/stacks.js';
import { PROCESS_TABLES } from '../helpers/process-tables.js';
import { isAlive } from '../helpers/processes.js';

const MIB = 1024 ** 2;
const SUITES = path.resolve('test/fixtures/suites');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'leakhunt-probe-py-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let attached = 0;

/** Files of their own for every attach: a second run of the same suite must not read the first's. */
async function attach(name: string): Promise<{ files: { probe: string; stacks: string }; attachment: ProbeAttachment }> {
  attached += 1;
  const files = { probe: path.join(work, `${name}-${attached}.jsonl`), stacks: path.join(work, `${name}-${attached}.stacks`) };
  const attachment = await probeArgs('pytest', {
    projectDir: path.join(SUITES, name),
    probeFile: files.probe,
    stacksFile: files.stacks,
    tracemalloc: false,
    userEnv: { PATH: process.env.PATH, PYTHONPATH: '/somewhere/of/theirs' },
  });
  return { files, attachment };
}

/** Resolves once `check` is true; fails the test past `timeoutMs`. */
async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runPytest(
  name: string,
  env: Record<string, string> = {},
  tests: readonly string[] = ['tests'],
): Promise<{ records: PerTestRecord[]; exitCode: number | undefined }> {
  const { files, attachment } = await attach(name);
  const result = await execa('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...attachment.argvBefore, ...tests], {
    cwd: path.join(SUITES, name),
    env: { ...attachment.env, ...env },
    reject: false,
    timeout: 60_000,
  });
  return { records: await readProbeFile(files.probe), exitCode: result.exitCode };
}

// The budget check a real executor makes, replayed over the REAL per-test peaks of one run:
// a prefix dies when the process peaked at or above the budget during one of its tests.
function replayExecutor(records: readonly PerTestRecord[], budgetBytes: number): Executor {
  const peakOf = new Map(records.map((r) => [r.test, r.peakBytes]));
  let runs = 0;
  return {
    async run(tests): Promise<TrialResult> {
      runs += 1;
      const peakBytes = Math.max(...tests.map((t) => peakOf.get(t) ?? 0));
      const outcome = peakBytes >= budgetBytes ? 'over-memory' : 'passed';
      return {
        tests,
        peakBytes,
        durationMs: 1,
        runId: `replay-${runs}`,
        verdict: { outcome, because: '', failingTests: [], signal: undefined },
      };
    },
  };
}

describe('pytest probe', () => {
  it('is found beside the sources and keeps the user PYTHONPATH after its own folder', async () => {
    const { attachment } = await attach('pytest-accumulator');
    expect(existsSync(path.join(PYTEST_PROBE_DIR, 'leakhunt_probe.py'))).toBe(true);
    expect(attachment.env.PYTHONPATH).toBe(`${PYTEST_PROBE_DIR.replace(/\/$/, '')}:/somewhere/of/theirs`);
  });

  it('sees a module registry growing 4 MiB per test as an accumulator and finds the failing prefix', async () => {
    const { records, exitCode } = await runPytest('pytest-accumulator');
    expect(exitCode).toBe(0);
    expect(records).toHaveLength(12);
    const verdict = judgeAccumulation(retainedPoints(records));
    expect(verdict.isAccumulating).toBe(true);
    expect(verdict.bytesPerContributingTest).toBeGreaterThan(0.8 * 4 * MIB);
    expect(verdict.bytesPerContributingTest).toBeLessThan(1.2 * 4 * MIB);
    // Budget planted so that the 9th test (index 8) is the first to reach it.
    const budgetBytes = (records[0]?.rssBeforeBytes ?? 0) + 8.5 * 4 * MIB;
    const ids = records.map((r) => r.test);
    const found = await smallestFailingPrefix(ids, replayExecutor(records, budgetBytes), {
      outcome: 'over-memory',
      failingTest: undefined,
      signal: undefined,
    });
    expect(Math.abs(found.length - 9)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('names the one hog among 20 tests from the records of a single run', async () => {
    const { records } = await runPytest('pytest-hog-in-20');
    expect(records).toHaveLength(20);
    const suspect = suspectFromRecords(records, 250 * MIB);
    expect(suspect).toMatchObject({ test: 'tests/test_twenty.py::test_10', reason: 'dominant' });
    expect(judgeAccumulation(retainedPoints(records)).isAccumulating).toBe(false);
  }, 60_000);

  // A full gc.collect() after every test cost 50 ms each on networkx's heap (7.2× a passing
  // run): the probe collects only when the retained figure can have moved by more than its
  // step (512 KiB), and carries the last figure otherwise (docs/accumulators.md).
  describe('collects only when the retained figure can move', () => {
    const KEEPER = 'tests/test_keeper.py::test_keeps_8_mib';
    const keeperOf = (records: readonly PerTestRecord[]): PerTestRecord[] => records.filter((r) => r.test === KEEPER);

    it('carries the figure over quiet tests and still measures a test keeping 8 MiB with its real figure', async () => {
      const { records, exitCode } = await runPytest('pytest-quiet-keeper');
      expect(exitCode).toBe(0);
      expect(records).toHaveLength(29);
      const [keeper] = keeperOf(records);
      expect(keeper?.retainedCarried).toBeUndefined();
      expect(keeper?.retainedSource).toBe('post-gc-rss');
      expect(keeper!.retainedDeltaBytes / MIB).toBeGreaterThan(7.5);
      expect(keeper!.retainedDeltaBytes / MIB).toBeLessThan(8.5 + 0.5); // + what carried tests before it kept (≤ the step)
      // Quiet tests (dicts built and freed, cyclic garbage) mostly need no collection.
      const quiet = records.filter((r) => r.test !== KEEPER);
      const carried = quiet.filter((r) => r.retainedCarried === true);
      expect(carried.length).toBeGreaterThanOrEqual(0.75 * quiet.length);
      // A carried test grew 0: what it kept (under the step) lands on the next measured test.
      expect(carried.map((r) => r.retainedDeltaBytes)).toEqual(carried.map(() => 0));
      // One keeper (and a first table's pages, 1.7 MiB once) is no accumulator.
      expect(judgeAccumulation(retainedPoints(records)).isAccumulating).toBe(false);
    }, 60_000);

    // A module's last test was always collected (~50 ms each on networkx, most of the probe's
    // cost on a passing run): now only when it moved past the step, like any test.
    it('carries a module’s last quiet test with its bound, and LEAKHUNT_GC_MODULE_END=1 measures it', async () => {
      const lastOfModule = (records: readonly PerTestRecord[]): PerTestRecord[] =>
        records.filter((r, i) => records[i + 1] === undefined || records[i + 1]!.file !== r.file);
      const { records, exitCode } = await runPytest('pytest-quiet-keeper');
      expect(exitCode).toBe(0);
      const ends = lastOfModule(records);
      expect(ends.map((r) => r.file)).toEqual(['tests/test_keeper.py', 'tests/test_quiet.py']);
      // At least one of the two ends carried (old garbage may push one past the step).
      const carriedEnds = ends.filter((r) => r.retainedCarried === true);
      expect(carriedEnds.length).toBeGreaterThanOrEqual(1);
      for (const r of records.filter((x) => x.retainedCarried === true)) {
        // The bound is the figure before any collection: at least the carried figure less the step.
        expect(r.retainedBoundBytes).toBeGreaterThan(r.retainedAfterBytes - 512 * 1024 - 1);
        expect(r.retainedBoundBytes).toBeLessThanOrEqual(r.retainedAfterBytes + 512 * 1024);
      }
      // The rule reads the carried tests' own shares off their bounds: all small.
      const shares = retainedPoints(records)
        .filter((p) => p.carried === true)
        .map((p) => p.shareBytes);
      expect(shares.every((b) => b !== undefined && Math.abs(b) <= 512 * 1024)).toBe(true);

      const before = await runPytest('pytest-quiet-keeper', { LEAKHUNT_GC_MODULE_END: '1' });
      expect(lastOfModule(before.records).map((r) => r.retainedCarried)).toEqual([undefined, undefined]);
    }, 60_000);

    it('collects after every test with LEAKHUNT_GC_EVERY_TEST=1, and reads the keeper the same', async () => {
      const { records } = await runPytest('pytest-quiet-keeper', { LEAKHUNT_GC_EVERY_TEST: '1' });
      expect(records).toHaveLength(29);
      expect(records.filter((r) => r.retainedCarried === true)).toEqual([]);
      const [keeper] = keeperOf(records);
      expect(keeper!.retainedDeltaBytes / MIB).toBeGreaterThan(7.5);
      expect(keeper!.retainedDeltaBytes / MIB).toBeLessThan(8.5);
    }, 60_000);

    // The accumulator's confirmation gives a lone contributor twice: the second run's own
    // figure decides whether it is named, so that run collects after every test.
    it('collects after every test when a node id is given twice, and measures both runs', async () => {
      const { records } = await runPytest('pytest-quiet-keeper', {}, [
        'tests/test_keeper.py::test_quiet_before',
        KEEPER,
        KEEPER,
        'tests/test_keeper.py::test_quiet_after',
      ]);
      expect(records).toHaveLength(12);
      expect(records.filter((r) => r.retainedCarried === true)).toEqual([]);
      expect(keeperOf(records).map((r) => Math.round(r.retainedDeltaBytes / MIB))).toEqual([8, 8]);
    }, 60_000);
  });

  // Children are read from /proc, or from ps on the macOS path (LEAKHUNT_PROBE_PORTABLE=1).
  it.each([
    ['/proc', {}],
    ['ps', { LEAKHUNT_PROBE_PORTABLE: '1' }],
  ])(
    'lists the test that left a sleep 1000 behind (children from %s), and nothing survives this test',
    async (_source, env) => {
      const { records } = await runPytest('pytest-leaves-child', env);
      const found = leftovers(records);
      const sleepers = found.flatMap((f) => f.processes);
      try {
        expect(found.map((f) => f.test)).toEqual(['tests/test_children.py::test_starts_a_sleeper_and_forgets_it']);
        expect(sleepers).toEqual([expect.objectContaining({ command: 'sleep 1000' })]);
      } finally {
        for (const { pid } of sleepers) process.kill(pid, 'SIGKILL');
      }
      await expectGone(sleepers.map((s) => s.pid));
    },
    60_000,
  );

  it.each(PROCESS_TABLES)(
    'gets the stack of a module hanging at import time (pids read from %s), then the hang is killed',
    async (_source, table) => {
      const { files, attachment } = await attach('pytest-import-hang');
      const child = execa('python3', ['-m', 'pytest', '-q', ...attachment.argvBefore, 'tests'], {
        cwd: path.join(SUITES, 'pytest-import-hang'),
        env: attachment.env,
        reject: false,
        stdio: 'ignore',
      });
      const pid = child.pid ?? -1;
      try {
        // Wait for what is checked, not a fixed 2 s (too short on a loaded machine): the probe's
        // session line says the SIGUSR1 handler is in place (it is set when the plugin loads),
        // then stacks are asked for until collection has reached the hanging import.
        await pollUntil(async () => (await readFile(files.probe, 'utf8').catch(() => '')).includes('"event": "session"'), 20_000);
        let stacks: string | undefined;
        await pollUntil(
          async () => (stacks = await collectStacks('pytest', [pid], files.stacks, table))?.includes('test_slow_import.py') === true,
          20_000,
        );
        expect(stacks).toContain('test_slow_import.py');
        const summary = summarizePythonStack(stacks ?? '', path.join(SUITES, 'pytest-import-hang'));
        expect(summary.where).toEqual({ file: 'tests/test_slow_import.py', line: 2, func: '<module>' });
        expect(isAlive(pid)).toBe(true); // SIGUSR1 was answered, not fatal
      } finally {
        child.kill('SIGKILL');
        await child;
      }
      await expectGone([pid]);
    },
    60_000,
  );

  it.each(PROCESS_TABLES)(
    'signals nothing that has no handler (pids read from %s): a plain python process with the variable survives',
    async (_source, table) => {
      const stacks = path.join(work, 'unarmed.stacks');
      const child = execa('python3', ['-c', 'import time; time.sleep(30)'], { env: { LEAKHUNT_STACKS_FILE: stacks }, reject: false });
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await collectStacks('pytest', [child.pid ?? -1], stacks, table)).toBeUndefined();
        expect(isAlive(child.pid ?? -1)).toBe(true);
      } finally {
        child.kill('SIGKILL');
        await child;
      }
    },
    30_000,
  );

  it('records nothing when loaded without its environment variable', async () => {
    const result = await execa(
      'python3',
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'leakhunt_probe', '-W', 'error', 'tests'],
      {
        cwd: path.join(SUITES, 'pytest-accumulator'),
        env: { PYTHONPATH: PYTEST_PROBE_DIR },
        extendEnv: true,
        reject: false,
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('12 passed');
  }, 60_000);

  it('records the allocation sites that grew when tracemalloc is asked for', async () => {
    const name = 'pytest-accumulator';
    const probe = path.join(work, 'tracemalloc.jsonl');
    const attachment = await probeArgs('pytest', {
      projectDir: path.join(SUITES, name),
      probeFile: probe,
      stacksFile: path.join(work, 'tm.stacks'),
      tracemalloc: true,
      userEnv: {},
    });
    await execa('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...attachment.argvBefore, 'tests'], {
      cwd: path.join(SUITES, name),
      env: attachment.env,
      reject: false,
    });
    const records = await readProbeFile(probe);
    expect(records[3]?.topGrowth[0]?.site).toMatch(/test_registry\.py:10$/);
    expect(records[3]?.topGrowth[0]?.sizeBytes).toBeGreaterThanOrEqual(4 * MIB);
    expect((await readFile(probe, 'utf8')).length).toBeGreaterThan(0);
  }, 60_000);
});

// What the probe can tell where there is no /proc (macOS): resident memory from libproc or
// getrusage, children from ps, no per-phase peak. Forced here on Linux with the probe's switch.
describe('pytest probe without /proc (the macOS path, forced by LEAKHUNT_PROBE_PORTABLE=1)', () => {
  const PORTABLE = { LEAKHUNT_PROBE_PORTABLE: '1' };

  it('still sees the registry growing 4 MiB per test', async () => {
    const { records, exitCode } = await runPytest('pytest-accumulator', PORTABLE);
    expect(exitCode).toBe(0);
    expect(records).toHaveLength(12);
    expect(records.every((r) => r.rssAfterBytes > 0)).toBe(true);
    const verdict = judgeAccumulation(retainedPoints(records));
    expect(verdict.isAccumulating).toBe(true);
    expect(verdict.bytesPerContributingTest).toBeGreaterThan(0.8 * 4 * MIB);
    expect(verdict.bytesPerContributingTest).toBeLessThan(1.2 * 4 * MIB);
  }, 60_000);

  it('still names the hog among 20 tests from one run', async () => {
    const { records } = await runPytest('pytest-hog-in-20', PORTABLE);
    expect(suspectFromRecords(records, 250 * MIB)).toMatchObject({ test: 'tests/test_twenty.py::test_10' });
  }, 60_000);
});

async function expectGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(pids.filter(isAlive)).toEqual([]);
}
