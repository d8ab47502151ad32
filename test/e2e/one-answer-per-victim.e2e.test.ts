// One answer per victim (docs/bisection.md): a victim broken every time by one test and only
// on its first executions by another was reported twice, `polluter` (the first) and `flaky`
// (the second stopped reproducing in verification), which reads as a contradiction. Now it
// is one polluter finding that says what else the victim failed after. Real pytest processes,
// through the CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const VICTIM = 'tests/test_v.py::test_v_stable';

function suite(): string {
  const dir = tempDir('leakhunt-one-answer-');
  const tests = join(dir, 'tests');
  mkdirSync(tests);
  writeFileSync(join(dir, 'selection.txt'), 'tests/test_a.py\ntests/test_q.py\ntests/test_p.py\ntests/test_v.py\n');
  writeFileSync(join(tests, '__init__.py'), '');
  writeFileSync(join(tests, 'state.py'), 'MODE = {"beta": False}\n');
  writeFileSync(join(tests, 'test_a.py'), 'def test_a():\n    assert True\n');
  // Breaks the victim on its first 4 executions only (a counter file beside it): the batch, its
  // confirmation and narrowing see it, verification does not.
  writeFileSync(
    join(tests, 'test_q.py'),
    [
      'import os',
      'from tests import state',
      '',
      'COUNTER = os.path.join(os.path.dirname(__file__), "q.count")',
      '',
      '',
      'def test_q_sometimes_sets_beta():',
      '    n = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0',
      '    open(COUNTER, "w").write(str(n + 1))',
      '    if n < 4:',
      '        state.MODE["beta"] = True',
      '',
    ].join('\n'),
  );
  writeFileSync(join(tests, 'test_p.py'), 'from tests import state\n\n\ndef test_p_sets_beta():\n    state.MODE["beta"] = True\n');
  writeFileSync(join(tests, 'test_v.py'), 'from tests import state\n\n\ndef test_v_stable():\n    assert not state.MODE["beta"]\n');
  return dir;
}

describe('a victim broken by a polluter and, sometimes, by another test', () => {
  it('gets one polluter finding that says what else it failed after, not a polluter and a flaky', async () => {
    const dir = suite();
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '200MB', '--timeout', '20s'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const findings = run.report!.findings;
    const aboutVictim = findings.filter((f) => f.victim === VICTIM || f.signature.failingTest === VICTIM);
    expect(aboutVictim.map((f) => [f.kind, f.culprits])).toEqual([['polluter', ['tests/test_p.py']]]);
    const [polluter] = aboutVictim;
    // What the flaky finding said is kept, in the one answer: the other test, its runs, not named.
    expect(polluter!.because).toMatch(
      /^passes alone; fails after tests\/test_p\.py; tests\/test_v\.py::test_v_stable also failed after tests\/test_q\.py \([^)]+\) but passed when that was re-run \([^)]+\): tests\/test_q\.py is not named/,
    );
    const runIds = new Set(run.report!.runs.map((r) => r.runId));
    for (const id of polluter!.evidenceRunIds) expect(runIds).toContain(id);
    expect(
      run.report!.runs.some((r) => polluter!.evidenceRunIds.includes(r.runId) && r.tests.join(' ') === 'tests/test_q.py tests/test_v.py'),
    ).toBe(true);
    expect(run.stdout).not.toMatch(/✗ flaky/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
