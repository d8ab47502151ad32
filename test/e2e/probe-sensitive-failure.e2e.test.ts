// A test that fails only under leakhunt's per-test probe is never named (QA pass 4 on Debian's
// zope.interface: test_does_not_leak_on_unique_classes counts gc.get_objects() and passes as
// pytest runs it, but the probe's full collection before a module's first test leaves it no
// older garbage to hide a few survivors, so alone under the probe it failed every time:
// "✗ failing … fails when run alone", with a repro that passed). The same shape in small, real
// pytest processes through the CLI: cycles that outlived a collection are dropped at import,
// and the test keeps 51 new objects while counting.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const COUNTING = 'test_registry.py::test_keeps_no_new_objects';

function suite(): string {
  const dir = tempDir('leakhunt-probe-sensitive-');
  writeFileSync(join(dir, 'selection.txt'), 'test_registry.py\n');
  writeFileSync(
    join(dir, 'test_registry.py'),
    [
      'import gc',
      '',
      'class Node:',
      '    def __init__(self):',
      '        self.me = self',
      '',
      'def test_registers_a_handler():',
      '    assert Node()',
      '',
      '# Cycles that outlived a collection, then dropped: garbage only a full collection frees.',
      '_old = [Node() for _ in range(200)]',
      'gc.collect()',
      'del _old',
      '',
      'HANDLERS = []',
      '',
      'def test_keeps_no_new_objects():',
      '    begin = len(gc.get_objects())',
      '    HANDLERS.append([[] for _ in range(50)])',
      '    gc.collect()',
      '    assert len(gc.get_objects()) <= begin',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('a test that fails only under the per-test probe (it counts live objects)', () => {
  it('is flaky with nobody blamed, its re-runs made as pytest runs it, never failing', async () => {
    const dir = suite();
    // The premise: pytest itself passes it, alone and in its file.
    for (const args of [['test_registry.py'], [COUNTING]]) {
      const raw = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...args], { cwd: dir, encoding: 'utf8' });
      expect(raw.stdout).toMatch(/passed/);
      expect(raw.status).toBe(0);
    }

    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '300MB', '--timeout', '30s'], { cwd: dir, timeoutMs: 120_000 });
    const report = run.report!;
    // Under the probe it failed in the batch (else this test shows nothing).
    expect(report.runs[0]!.verdict.failingTests).toEqual([COUNTING]);
    expect(report.findings.flatMap((f) => f.culprits)).toEqual([]);
    expect(report.findings.map((f) => [f.kind, f.signature.failingTest])).toEqual([['flaky', COUNTING]]);
    expect(report.findings[0]!.because).toContain("the re-runs went without leakhunt's per-test probe, as your runner runs the tests");
    // Every re-run of the failure went without the probe: no per-test records.
    const reruns = report.runs.slice(1);
    expect(reruns.length).toBeGreaterThan(0);
    for (const rerun of reruns) {
      expect(rerun.verdict.outcome).toBe('passed');
      expect(rerun.perTest ?? []).toEqual([]);
    }
    expect(run.stdout).not.toMatch(/✗ failing/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 150_000);
});
