// Verdicts on a real suite nobody here wrote (Debian's packaged networkx tests), each with one
// injected fault: the exact verdict, the tests it names, and what it cost in runs, compared
// with what detect-test-pollution (counted by its algorithm, test/helpers/detect-test-pollution.ts)
// or the naive sweep would need on the same suite. docs/verdicts.md explains each verdict.

import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, useCorpusSuite } from '../helpers/corpus.js';
import { detectTestPollutionRuns } from '../helpers/detect-test-pollution.js';
import { type LeakhuntRun, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = 'networkx/utils/tests';
/** Small real files of the suite (~10 s per run here, most of it importing networkx). */
const REAL_FILES = ['test_heaps.py', 'test_misc.py', 'test_unionfind.py', 'test_decorators.py', 'test_mapped_queue.py', 'test_rcm.py'].map(
  (f) => `${TESTS}/${f}`,
);

const corpus = useCorpusSuite('python3-networkx');

async function hunt(dir: string, name: string, entries: readonly string[], extra: readonly string[] = []): Promise<LeakhuntRun> {
  const selection = join(dir, `${name}.txt`);
  await writeFile(selection, `${entries.join('\n')}\n`);
  const timeout = extra.includes('--timeout') ? [] : ['--timeout', '60s'];
  return runLeakhunt(
    ['run', selection, '--runner', 'pytest', '--batch-size', String(entries.length), '--memory', '400MB', ...timeout, ...extra],
    { cwd: dir, timeoutMs: 500_000 },
  );
}

/** Runs made after the batch run: confirmations and probes. */
function runsAfterBatch(run: LeakhuntRun): number {
  return (run.report?.runs ?? []).filter((record) => record.kind !== 'batch').length;
}

describe('a real suite (Debian python3-networkx) with one injected fault', () => {
  it('a test that fails its first two executions, first in its batch, is flaky: named, no culprit, 3 runs', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(
      join(suite.dir, TESTS, 'test_aa_flaky.py'),
      [
        'import os',
        'COUNTER = os.path.join(os.path.dirname(__file__), "flaky-count.txt")',
        'def test_flaky_first():',
        '    count = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0',
        '    open(COUNTER, "w").write(str(count + 1))',
        '    assert count >= 2, f"execution {count + 1}: fails on its first two executions"',
        '',
      ].join('\n'),
    );
    const run = await hunt(suite.dir, 'flaky', [`${TESTS}/test_aa_flaky.py`, ...REAL_FILES]);

    expect(run.report?.findings).toEqual([
      expect.objectContaining({
        kind: 'flaky',
        culprits: [],
        confidence: 'reproduced 2 of 4 runs',
        signature: expect.objectContaining({ failingTest: expect.stringMatching(/test_aa_flaky\.py::test_flaky_first$/) }),
      }),
    ]);
    // The confirmation (fails: 2nd execution), the same collection with the others deselected,
    // then alone: 3 runs after the batch. The old hunt bisected 6 innocent files and named 2.
    expect(runsAfterBatch(run)).toBe(3);
    expect(run.report?.runs.find((record) => record.deselect !== undefined)?.deselect).toEqual(
      REAL_FILES.map((f) => expect.stringContaining(f.slice(9))),
    );
    expect(run.stdout).toMatch(/✗ flaky {2}.*test_flaky_first/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it('one polluter with two victims in other files is one finding listing both, in fewer runs than detect-test-pollution', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    const mode = (name: string): string => `def ${name}():\n    assert getattr(misc, "LEAKHUNT_MODE", "default") == "default"\n`;
    await writeFile(
      join(suite.dir, TESTS, 'test_b_polluter.py'),
      'import networkx.utils.misc as misc\n\ndef test_switches_to_debug_mode():\n    misc.LEAKHUNT_MODE = "debug"  # a module global, never reset\n',
    );
    await writeFile(
      join(suite.dir, TESTS, 'test_v1_victim.py'),
      `import networkx.utils.misc as misc\n\n${mode('test_runs_in_default_mode')}`,
    );
    await writeFile(
      join(suite.dir, TESTS, 'test_v2_victim.py'),
      `import networkx.utils.misc as misc\n\n${mode('test_reports_default_mode')}`,
    );
    const [heaps, misc, unionfind, decorators, mappedQueue, rcm] = REAL_FILES as [string, string, string, string, string, string];
    const entries = [
      heaps,
      `${TESTS}/test_b_polluter.py`,
      misc,
      unionfind,
      `${TESTS}/test_v1_victim.py`,
      decorators,
      mappedQueue,
      `${TESTS}/test_v2_victim.py`,
      rcm,
    ];
    const run = await hunt(suite.dir, 'polluter', entries);

    expect(run.report?.findings).toEqual([
      expect.objectContaining({
        kind: 'polluter',
        culprits: [expect.stringMatching(/test_b_polluter\.py$/)],
        victims: [
          expect.stringMatching(/test_v1_victim\.py::test_runs_in_default_mode$/),
          expect.stringMatching(/test_v2_victim\.py::test_reports_default_mode$/),
        ],
      }),
    ]);
    // First victim: confirmation, alone, one-sided halving over the 4 entries before it (2
    // probes), the inferred polluter run once, the rest without it, one verification run (its
    // run alone counts as the contrast). Second victim: alone, then the polluter already
    // found, then alone again (it may fail everywhere and have passed once by chance): 3. The
    // batch run is 1 more.
    expect(runsAfterBatch(run)).toBe(10);

    // detect-test-pollution on the same tests, in the same order, told each victim (two runs of it).
    const ids = execFileSync('python3', ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', ...entries], {
      cwd: suite.dir,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.includes('::'));
    const polluter = ids.find((id) => id.includes('test_b_polluter.py::')) ?? '';
    const dtp = ['test_v1_victim.py::', 'test_v2_victim.py::'].map((victim) =>
      detectTestPollutionRuns(ids, ids.find((id) => id.includes(victim)) ?? '', polluter, { discover: false }),
    );
    const ours = (run.report?.runs ?? []).length;
    console.log(
      `polluter with two victims: leakhunt ${ours} runs (batch included, victims not given) vs detect-test-pollution ${dtp.join(' + ')} = ${dtp[0]! + dtp[1]!} (given each victim, --testids-file) over ${ids.length} tests`,
    );
    expect(ours).toBeLessThanOrEqual(0.8 * (dtp[0]! + dtp[1]!));
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 400_000);

  it('one polluter among 100+ node ids, the victim last: one probe per halving level, as detect-test-pollution', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(
      join(suite.dir, TESTS, 'test_d_polluter.py'),
      'import networkx.utils.misc as misc\n\ndef test_sets_trace_mode():\n    misc.LEAKHUNT_TRACE = True  # a module global, never reset\n',
    );
    await writeFile(
      join(suite.dir, TESTS, 'test_w_victim.py'),
      'import networkx.utils.misc as misc\n\ndef test_trace_is_off():\n    assert not getattr(misc, "LEAKHUNT_TRACE", False)\n',
    );
    const [heaps, misc, unionfind, decorators, mappedQueue, rcm] = REAL_FILES as [string, string, string, string, string, string];
    const files = [heaps, misc, unionfind, `${TESTS}/test_d_polluter.py`, decorators, mappedQueue, rcm, `${TESTS}/test_w_victim.py`];
    // The selection is node ids, one test per entry: detect-test-pollution's own granularity.
    const ids = execFileSync('python3', ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', ...files], {
      cwd: suite.dir,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.includes('::'));
    const polluter = ids.find((id) => id.includes('test_d_polluter.py::')) ?? '';
    const victim = ids.find((id) => id.includes('test_w_victim.py::')) ?? '';
    expect(ids.at(-1)).toBe(victim);
    const run = await hunt(suite.dir, 'polluter-ids', ids);

    expect(run.report?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: [polluter], victims: [victim] })]);
    const m = ids.length - 1;
    const dtp = detectTestPollutionRuns(ids, victim, polluter, { discover: false });
    const ours = runsAfterBatch(run);
    // Confirmation, alone, one probe per level, the answer run when it was inferred, the rest
    // without it (is another polluter left?), verification: dtp's count plus at most 2 (leakhunt
    // reproduces every culprit twice and looks for a second polluter); halving both halves of
    // every level needed 2·⌈log2 m⌉ + 3.
    console.log(
      `polluter among ${ids.length} node ids: leakhunt ${ours} runs after the batch vs detect-test-pollution ${dtp} (given the victim) vs two-sided halving ${2 * Math.ceil(Math.log2(m)) + 3}`,
    );
    expect(ours).toBeLessThanOrEqual(Math.ceil(Math.log2(m)) + 5);
    expect(ours).toBeLessThanOrEqual(dtp + 2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 600_000);

  it('a test module that deadlocks at import is a hang naming the file, from the batch stack, in 2 runs', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(
      join(suite.dir, TESTS, 'test_c_deadlock.py'),
      [
        'import threading',
        '_LOCK = threading.Lock()',
        '_LOCK.acquire()',
        '_LOCK.acquire()  # deadlocks at import: a non-reentrant lock taken twice',
        'def test_never_collected():',
        '    pass',
        '',
      ].join('\n'),
    );
    const [heaps, misc, unionfind, decorators, mappedQueue, rcm] = REAL_FILES as [string, string, string, string, string, string];
    const entries = [heaps, misc, unionfind, `${TESTS}/test_c_deadlock.py`, decorators, mappedQueue, rcm];
    // 45 s: the rest of the batch must finish in time on a loaded 2-core machine (~10 s idle).
    const run = await hunt(suite.dir, 'deadlock', entries, ['--timeout', '45s']);

    expect(run.report?.findings).toEqual([
      expect.objectContaining({ kind: 'hang', culprits: [expect.stringMatching(/test_c_deadlock\.py$/)] }),
    ]);
    expect(run.report?.findings[0]?.because).toMatch(
      /named from the stack dump of b001: it shows .*test_c_deadlock\.py being imported \(collected\)/,
    );
    expect(run.report?.findings[0]?.stack).toMatch(/test_c_deadlock\.py line 4 \(<module>\)/);
    // Alone (times out: confirmed), then the batch without it (passes): 2 runs. Halving with
    // full timeouts took 8 on this batch (7 entries), and a naive sweep 7.
    expect(runsAfterBatch(run)).toBe(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 600_000);
});
