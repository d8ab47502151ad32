// A memory death reproduces only under a memory limit: the plain runner line passes. Every
// memory finding also carries `reproUnderBudget`, a line pasted where leakhunt ran that dies
// again (leakhunt itself on those tests under the hunt's --memory), shown in every view.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import type { Report } from '../../src/report/model.js';
import { CLI, REPO, runLeakhunt } from '../helpers/run-leakhunt.js';

const HOG_ID = '../../suites/pytest-hog-in-20/tests/test_twenty.py::test_10';

// The line as a user pastes it, in a clean environment; `npx leakhunt` is this checkout's
// built CLI (npx would not find the package it stands in).
async function paste(line: string) {
  expect(line).toContain('| npx leakhunt run /dev/stdin ');
  return execa('sh', ['-c', line.replace('npx leakhunt', `${process.execPath} ${CLI}`)], {
    cwd: REPO,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', NO_COLOR: '1', TMPDIR: process.env['TMPDIR'] ?? '/tmp' },
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 90_000,
  });
}

describe('a repro that dies under the budget', () => {
  it('names the hog again where the plain runner line passes, and every view shows it', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/selections/probes/hog-in-20.txt',
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-hog-in-20',
      '--batch-size',
      '20',
      '--memory',
      '160MiB',
      '--timeout',
      '30s',
    ]);
    expect(run.exitCode).toBe(1);
    const hog = run.report!.findings.find((finding) => finding.kind === 'hog')!;
    expect(hog.culprits).toEqual([HOG_ID]);
    // --out is spelled from where leakhunt ran (relative or absolute, as userPathFrom chooses
    // for where this checkout and the temp dir are): it must name the hunt's own out dir.
    const outArg = / --out (\S+)$/.exec(hog.reproUnderBudget ?? '')?.[1] ?? '';
    expect(resolve(REPO, outArg)).toBe(join(run.outDir, 'repro'));
    expect(hog.reproUnderBudget).toBe(
      `printf '%s\\n' ${HOG_ID} | npx leakhunt run /dev/stdin --root test/fixtures/selections/probes --runner pytest ` +
        `--project test/fixtures/suites/pytest-hog-in-20 --memory 160MiB --out ${outArg}`,
    );

    // Without a limit the runner's own line passes: it cannot show the death.
    const plain = await execa('sh', ['-c', hog.repro], { cwd: REPO, reject: false, all: true, timeout: 60_000 });
    expect(plain.all).toMatch(/1 passed/);
    expect(plain.exitCode).toBe(0);

    // Under the budget it dies again, and leakhunt names the same test in the same frame.
    const pasted = await paste(hog.reproUnderBudget!);
    expect(pasted.exitCode).toBe(1);
    const again = JSON.parse(readFileSync(join(run.outDir, 'repro', 'leakhunt-report.json'), 'utf8')) as Report;
    expect(again.findings.map((finding) => [finding.kind, finding.culprits])).toEqual([['hog', [HOG_ID]]]);
    // The hunt's own report is still there, untouched by the repro's.
    expect(JSON.parse(readFileSync(join(run.outDir, 'leakhunt-report.json'), 'utf8')).findings[0].culprits).toEqual([HOG_ID]);

    for (const view of ['leakhunt-report.txt', 'leakhunt-report.md', 'leakhunt-report.xml', 'leakhunt-report.html']) {
      const text = readFileSync(join(run.outDir, view), 'utf8');
      expect({ view, shows: text.includes('dies again') && text.includes('--memory 160MiB') }).toEqual({ view, shows: true });
    }
  }, 240_000);
});
