// The generic `--cmd` runner has no probe: a batch that died of memory is searched by prefix
// runs (src/bisect/prefix-peaks.ts). Real processes: one Python process runs the tests in the
// order given, some keep 24 MiB for good (a registry), some allocate a temporary and free it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const RUNNER = `python3 ${join(REPO, 'test/fixtures/bin/keeper-tests.py')} {tests}`;

/** test_01.json … test_NN.json, each what that test does; the selection lists them in order. */
function suite(count: number, scripts: Record<number, object>): string {
  const dir = tempDir('leakhunt-generic-acc-');
  const names: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const name = `test_${String(i).padStart(2, '0')}.json`;
    writeFileSync(join(dir, name), JSON.stringify(scripts[i] ?? {}));
    names.push(name);
  }
  writeFileSync(join(dir, 'sel.txt'), `${names.join('\n')}\n`);
  return dir;
}

const hunt = (dir: string) =>
  runLeakhunt(['run', 'sel.txt', '--cmd', RUNNER, '--batch-size', '32', '--memory', '100MiB', '--timeout', '30s'], {
    cwd: dir,
    timeoutMs: 240_000,
  });

describe('--cmd, a batch of 32 that dies of memory, no per-test records', () => {
  it('says it falls back to prefix runs and what they may cost, then names exactly the tests that keep memory', async () => {
    // Keepers at 5, 12, 20 and 27 (the 4th crosses 100 MiB); test 8 allocates 10 MiB and frees it.
    const dir = suite(32, { 5: { keepMB: 24 }, 8: { tempMB: 10 }, 12: { keepMB: 24 }, 20: { keepMB: 24 }, 27: { keepMB: 24 } });
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    const announced = /batch 1: no per-test records with --cmd: finding the accumulator by prefix runs, up to (\d+) runs/.exec(
      run.stderr + run.stdout,
    );
    expect(announced).not.toBeNull();
    const [finding, ...others] = run.report!.findings;
    expect(others).toEqual([]);
    expect(finding!.kind).toBe('accumulator');
    expect(finding!.culprits).toEqual(['test_05.json', 'test_12.json', 'test_20.json']);
    expect(finding!.accumulation!.prefixLength).toBe(27);
    expect(finding!.reproTests).toHaveLength(27);
    // The temporary raised the peak in the prefix runs, but leaving it out lowered nothing.
    expect(finding!.because).toMatch(/not named, leaving it out of the others did not lower their peak: test_08\.json/);
    const after = run.report!.runs.filter((r) => r.kind !== 'batch');
    expect(after.length).toBeLessThanOrEqual(Number(announced![1]));
    expect(after.length).toBeLessThan(1 + 32); // the naive sweep: the batch again, then each test alone
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it('names a hog as the end of the smallest failing prefix, then a second hog in the rest', async () => {
    const dir = suite(10, { 3: { tempMB: 120 }, 7: { tempMB: 120 } });
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    expect(run.report!.findings.map((f) => [f.kind, f.culprits])).toEqual([
      ['hog', ['test_03.json']],
      ['hog', ['test_07.json']],
    ]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it('names nobody when a rise of the peak was a temporary on top of what one test kept', async () => {
    // Test 3 keeps 40 MiB, test 6 allocates 40 MiB on top and frees it, test 9's 75 MiB temporary crosses the budget.
    const dir = suite(12, { 3: { keepMB: 40 }, 6: { tempMB: 40 }, 9: { tempMB: 75 } });
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr + run.stdout).toMatch(/no per-test records with --cmd: finding the accumulator by prefix runs/);
    expect(run.report!.findings.map((f) => [f.kind, f.culprits])).toEqual([['unresolved', []]]);
    expect(run.report!.findings[0]!.smallestFailingSet).toHaveLength(9);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
