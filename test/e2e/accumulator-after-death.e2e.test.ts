// An accumulator whose third feeder runs after the batch dies (QA: mpmath and toolz, 3 files
// feeding one registry; only the files before the kill were named). The batch's records
// cannot weigh a file that never ran; the run without the named contributors runs it, and its
// records are judged by the same rule, then confirmed alone. Survey mode (the default), real
// pytest processes, through the CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FEEDERS = ['a', 'b', 'c'].map((x) => `tests/test_cache_${x}.py`);

// 3 feeder files × 5 tests × 8 MiB kept in a module-level list, between files that keep nothing.
function suite(plain3?: string): string {
  const dir = tempDir('leakhunt-after-death-');
  const tests = join(dir, 'tests');
  mkdirSync(tests);
  writeFileSync(join(tests, '__init__.py'), '');
  writeFileSync(join(tests, 'registry.py'), 'REGISTRY = []\n\n\ndef register(c):\n    REGISTRY.append(c)\n');
  for (const x of ['a', 'b', 'c']) {
    const body = [0, 1, 2, 3, 4].map((i) => `\n\ndef test_${x}_${i}():\n    registry.register(bytearray(8 * 1024 * 1024))\n`);
    writeFileSync(join(tests, `test_cache_${x}.py`), `from tests import registry\n${body.join('')}`);
  }
  for (const n of [1, 2, 3, 4]) {
    const body = [0, 1, 2].map((i) => `def test_f${n}_${i}():\n    assert sum(range(100)) == 4950\n`);
    writeFileSync(join(tests, `test_plain_${n}.py`), body.join('\n\n'));
  }
  if (plain3 !== undefined) writeFileSync(join(tests, 'test_plain_3.py'), plain3);
  const order = [
    'tests/test_plain_1.py',
    FEEDERS[0],
    'tests/test_plain_2.py',
    FEEDERS[1],
    'tests/test_plain_3.py',
    FEEDERS[2],
    'tests/test_plain_4.py',
  ];
  writeFileSync(join(dir, 'selection.txt'), `${order.join('\n')}\n`);
  return dir;
}

describe('an accumulator whose last feeder runs after the batch died', () => {
  it('names all three feeders: the third judged in the run without the others and confirmed alone', async () => {
    const dir = suite();
    // ~25 MiB of pytest + 80 MiB from a and b reach 110 MB about where c starts.
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '110MB', '--timeout', '60s'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(['over-memory', 'oom-killed']).toContain(batch.verdict.outcome);
    // The batch died before c's tests were all done: otherwise this test checks nothing new.
    const cFinished = (batch.perTest ?? []).filter((r) => r.test.startsWith(FEEDERS[2]!) && r.finished !== false);
    expect(cFinished.length).toBeLessThan(5);
    const findings = run.report!.findings;
    expect(findings.map((f) => f.kind)).toEqual(['accumulator']);
    expect([...findings[0]!.culprits].sort()).toEqual(FEEDERS);
    const contributors = findings[0]!.accumulation?.contributors ?? [];
    expect(contributors.map((c) => c.file).sort()).toEqual(FEEDERS);
    // Nobody else: the plain files keep nothing.
    expect(findings[0]!.culprits.some((c) => c.includes('plain'))).toBe(false);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it('names all three feeders when the survey run ran out of time between them and went on in a new process', async () => {
    // test_plain_3 (between b and c) sleeps on its first execution only: the survey's run times
    // out in it, it passes alone, and the survey resumes there; c feeds in that second process.
    const slowOnce = [
      'import os',
      'import time',
      '',
      'COUNTER = os.path.join(os.path.dirname(__file__), "slow.count")',
      '',
      '',
      'def test_f3_slow_first_time():',
      '    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0',
      '    open(COUNTER, "w").write(str(n + 1))',
      '    if n == 0:',
      '        time.sleep(120)',
      '',
    ].join('\n');
    const dir = suite(slowOnce);
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '300MB', '--timeout', '10s'], { cwd: dir });
    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(batch.verdict.outcome).toBe('timeout');
    const findings = run.report!.findings;
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([['accumulator', 'warning']]);
    // Before: only c, the feeder of the run that went on, was named.
    expect([...findings[0]!.culprits].sort()).toEqual(FEEDERS);
    expect(findings[0]!.evidenceRunIds[0]).toBe(batch.runId);
    expect(findings[0]!.because).toMatch(
      /judged over the finished tests of b001, which ran out of time, and of b001-p\d+, which went on after it/,
    );
    // Nothing counted twice: c's tests ran once in each run of c, counted in the last.
    const contributors = findings[0]!.accumulation?.contributors ?? [];
    expect(contributors.map((c) => c.tests.length)).toEqual([5, 5, 5]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
