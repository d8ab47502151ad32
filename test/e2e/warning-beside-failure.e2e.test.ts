// An accumulator under the budget is warned about even when the batch also failed on an
// unrelated assertion (QA pass 4 on Debian's cssutils: 4 tests fail offline, and 3 injected
// files keeping 120 MiB got no word, though the same suite without those 4 got its warning);
// a lone test that kept a few MiB once (cssutils' first parseFile) is not among the contributors.
// Real pytest processes and real memory through the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FEEDERS = ['test_cache_a.py', 'test_cache_b.py', 'test_cache_c.py'];

function suite(): string {
  const dir = tempDir('leakhunt-warning-failure-');
  writeFileSync(join(dir, 'registry.py'), 'KEPT = []\n');
  const quiet = (name: string) => `def test_${name}():\n    assert sum(range(100)) == 4950\n`;
  writeFileSync(join(dir, 'test_fetch.py'), 'def test_fetches_offline():\n    assert False, "no network here"\n');
  writeFileSync(
    join(dir, 'test_parse.py'),
    `PARSED = []\n\ndef test_parse_file():\n    PARSED.append(b"p" * (4 * 1024 * 1024))\n\n${quiet('parse_string')}`,
  );
  for (const [i, file] of FEEDERS.entries()) {
    const tests = [0, 1, 2, 3].map((n) => `def test_collects_${n}():\n    registry.KEPT.append(bytes([${i + 1}]) * (10 * 1024 * 1024))\n`);
    writeFileSync(join(dir, file), `import registry\n\n${tests.join('\n')}`);
  }
  for (const name of ['one', 'two', 'three'])
    writeFileSync(join(dir, `test_${name}.py`), [0, 1, 2].map((n) => quiet(`${name}_${n}`)).join('\n'));
  const entries = ['test_one.py', 'test_fetch.py', FEEDERS[0], 'test_parse.py', 'test_two.py', FEEDERS[1], 'test_three.py', FEEDERS[2]];
  writeFileSync(join(dir, 'selection.txt'), `${entries.join('\n')}\n`);
  return dir;
}

describe('a batch that failed on an unrelated assertion while three files feed a registry', () => {
  it('names the failing test, and warns about exactly the three feeders', async () => {
    const dir = suite();
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '400MB', '--timeout', '60s'], { cwd: dir, timeoutMs: 150_000 });
    const report = run.report!;
    expect(report.runs[0]!.verdict.outcome).toBe('failed');
    expect(report.findings.filter((f) => f.kind === 'failing').map((f) => f.culprits)).toEqual([['test_fetch.py']]);
    const warnings = report.findings.filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => [f.kind, [...f.culprits].sort()])).toEqual([['accumulator', FEEDERS]]);
    expect(report.findings.flatMap((f) => f.culprits).some((test) => test.startsWith('test_parse.py'))).toBe(false);
    expect(run.exitCode).toBe(1); // the failing test; the warning alone would not change it
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
