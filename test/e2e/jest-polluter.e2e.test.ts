// One polluter, two victims, in a jest project run in band: the polluter changes the working
// directory (jest isolates globals and process.env per file, not the process's cwd). It is
// found once, tried first on the second victim, and reported once with both victims; every
// probe keeps leakhunt's own order (its test sequencer), so jest cannot reorder it away.
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const SUITE = 'test/fixtures/suites/jest-polluter-two-victims';

describe('a jest polluter with two victims', () => {
  it('is one finding listing both victims, in 10 runs after the batch', async () => {
    const run = await runLeakhunt(
      [
        'run',
        `${SUITE}/selection.txt`,
        '--runner',
        'jest',
        '--project',
        SUITE,
        '--batch-size',
        '20',
        '--memory',
        '400MiB',
        '--timeout',
        '30s',
      ],
      { timeoutMs: 220_000 },
    );
    expect(run.report?.findings).toEqual([
      expect.objectContaining({
        kind: 'polluter',
        culprits: ['tests/t03-export.test.js'],
        victims: ['tests/t07-prices.test.js', 'tests/t11-receipts.test.js'],
      }),
    ]);
    // First victim (6 files before it): confirmation, alone, one-sided halving ([t01–t03] fails,
    // [t01 t02] passes), the inferred t03 run once, the rest without it (passes), one
    // verification run; second: alone, then the known polluter, then alone again (a victim
    // that fails everywhere may pass alone once by chance).
    // The naive sweep ([x, victim] for every x before each victim) needs 6 + 10 runs plus 2 alone.
    // jest fails a file; the batch's verdict names the test that failed inside it (QA pass 4:
    // "1 test failed: test/qa-in-file.test.ts" left the user to open the log).
    expect(run.report!.runs[0]!.verdict.because).toContain(
      'tests/t07-prices.test.js (failed inside: formats prices from the project catalogue)',
    );
    const probes = (run.report?.runs ?? []).filter((record) => record.kind !== 'batch');
    expect(probes).toHaveLength(10);
    expect(survivorsOf(run.pid)).toEqual([]);

    // The repro is pasted where leakhunt ran: its order-keeping sequencer is the copy written
    // beside the report, not a file inside leakhunt's install, and it shows the failure.
    const finding = run.report!.findings[0]!;
    expect(finding.repro).not.toContain(`${REPO.replace(/\/$/, '')}/src`);
    expect(finding.repro).not.toContain('/dist/');
    // Spelled from the project dir the repro cd's into (relative or absolute, as userPathFrom
    // chooses for where this checkout and the temp dir are): it is the copy beside the report.
    const sequencer = /--testSequencer (\S+)/.exec(finding.repro)?.[1] ?? '';
    const projectDir = /^cd (\S+) &&/.exec(finding.repro)?.[1] ?? '.';
    expect(resolve(REPO, projectDir, sequencer)).toBe(join(run.outDir, 'jest-keep-order-sequencer.cjs'));
    expect(finding.reproNote).toContain('jest-keep-order-sequencer.cjs, written beside this report, keeps the listed order');
    const pasted = await execa('sh', ['-c', finding.repro], {
      cwd: REPO,
      // jest's cache goes to its temp dir: one this file removes.
      env: { TMPDIR: tempDir('leakhunt-jest-repro-') },
      reject: false,
      all: true,
      timeout: 60_000,
    });
    expect(pasted.all).toMatch(/PASS tests\/t03-export\.test\.js[\s\S]*FAIL tests\/t07-prices\.test\.js/);
    expect(pasted.exitCode).toBe(1);
  }, 240_000);
});
