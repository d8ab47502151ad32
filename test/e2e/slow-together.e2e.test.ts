// Two slow tests that outrun --timeout together and pass alone are slow, not hung: delta
// debugging reads them as an interaction (neither half fails), and they were named one (QA:
// `interaction` of two feeder files that only took long together) or `unresolved` when a lone
// run also ran over under load. A timeout's answer is now verified under the longer budget a
// lone hang gets (classify/hang.ts): they end, and the finding is `flaky` (slow, not hung),
// naming nobody. Real pytest processes, without the probe (so the records cannot settle it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('two slow tests that outrun the time budget only together', () => {
  it('are flaky (slow, not hung), not an interaction', async () => {
    const dir = tempDir('leakhunt-slow-together-');
    mkdirSync(join(dir, 'tests'));
    for (const x of ['a', 'd']) writeFileSync(join(dir, 'tests', `test_${x}.py`), `def test_${x}():\n    assert True\n`);
    // 4 s each: alone well inside 6 s, together 2 s over it.
    for (const x of ['b', 'c']) writeFileSync(join(dir, 'tests', `test_${x}.py`), `import time\n\n\ndef test_${x}():\n    time.sleep(4)\n`);
    writeFileSync(join(dir, 'selection.txt'), 'tests/test_a.py\ntests/test_b.py\ntests/test_c.py\ntests/test_d.py\n');
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '200MB', '--timeout', '6s', '--no-probe'], { cwd: dir });
    expect(run.report!.runs.find((r) => r.kind === 'batch')!.verdict.outcome).toBe('timeout');
    const findings = run.report!.findings;
    // Usually one finding for the pair; on a loaded machine a lone 4 s test may outrun 6 s too and
    // be its own candidate: each is then flaky the same way. Never an interaction, never a name.
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect([finding.kind, finding.culprits]).toEqual(['flaky', []]);
      expect(finding.because).toContain('run again with a longer time budget it ended: slow, not hung');
    }
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
