// `--cmd` is a command the user typed in their shell: it runs where leakhunt was started, so a
// relative program (`node_modules/.bin/tape`, as in a package's root) is found there, and the
// tests are passed as paths from there. Real processes: a tape-like executable in a package's
// node_modules/.bin that says where it ran and with what, and fails when a test file says FAIL.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/report/model.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const TAPE = `#!${process.execPath}
const { readFileSync } = require('node:fs');
const tests = process.argv.slice(2);
console.log('RAN ' + JSON.stringify({ cwd: process.cwd(), tests }));
process.exit(tests.some((test) => readFileSync(test, 'utf8').includes('FAIL')) ? 1 : 0);
`;

/** parent/pkg/{node_modules/.bin/tape, test/a.js, test/b.js, all.txt, pass.txt}; b.js fails. */
function packageRoot(): { parent: string; pkg: string } {
  const parent = tempDir('leakhunt-generic-cwd-');
  const pkg = join(parent, 'pkg');
  mkdirSync(join(pkg, 'node_modules/.bin'), { recursive: true });
  mkdirSync(join(pkg, 'test'));
  writeFileSync(join(pkg, 'node_modules/.bin/tape'), TAPE);
  chmodSync(join(pkg, 'node_modules/.bin/tape'), 0o755);
  writeFileSync(join(pkg, 'test/a.js'), '// passes\n');
  writeFileSync(join(pkg, 'test/b.js'), '// FAIL\n');
  writeFileSync(join(pkg, 'all.txt'), 'test/a.js\ntest/b.js\n');
  writeFileSync(join(pkg, 'pass.txt'), 'test/a.js\n');
  return { parent, pkg };
}

/** What the fake tape printed in the first batch: where it ran and the tests it was given. */
function firstBatchCall(report: Report | undefined, outDir: string): { cwd: string; tests: string[] } {
  const run = report?.runs.find((record) => record.kind === 'batch');
  expect(run).toBeDefined();
  const line = /^RAN (.*)$/m.exec(readFileSync(join(outDir, run!.logPath), 'utf8'));
  expect(line).not.toBeNull();
  return JSON.parse(line![1]!) as { cwd: string; tests: string[] };
}

const BUDGET = ['--memory', '200MB', '--timeout', '30s', '--no-step-summary'];

describe('--cmd with a relative program, run from where the user stands', () => {
  it('finds node_modules/.bin/tape from the package root, runs there, and the repro needs no cd', async () => {
    const { pkg } = packageRoot();
    const run = await runLeakhunt(['run', 'all.txt', '--cmd', 'node_modules/.bin/tape {tests}', ...BUDGET], { cwd: pkg });
    // Before: exit 2, "--cmd: node_modules/.bin/tape is not an executable file (from …/pkg/test)".
    expect(run.stderr).not.toMatch(/not an executable file/);
    expect(run.stderr).toContain('generic in .: 1 batch');
    expect(firstBatchCall(run.report, run.outDir)).toEqual({ cwd: pkg, tests: ['test/a.js', 'test/b.js'] });
    expect(run.exitCode).toBe(1);
    const findings = run.report?.findings ?? [];
    expect(findings.map((finding) => [finding.kind, finding.culprits])).toEqual([['failing', ['test/b.js']]]);
    // Pasted where the user stands, it runs as it did under leakhunt.
    expect(findings[0]?.repro).toBe('node_modules/.bin/tape test/b.js');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('from the folder above, takes the path typed from there and passes the tests as paths from there', async () => {
    const { parent, pkg } = packageRoot();
    const run = await runLeakhunt(['run', 'pkg/pass.txt', '--cmd', 'pkg/node_modules/.bin/tape {tests}', ...BUDGET], { cwd: parent });
    expect(run.exitCode).toBe(0);
    expect(firstBatchCall(run.report, run.outDir)).toEqual({ cwd: parent, tests: ['pkg/test/a.js'] });
    // --project still moves it: the template's relative paths then start there.
    const moved = await runLeakhunt(['run', 'pkg/pass.txt', '--cmd', 'node_modules/.bin/tape {tests}', '--project', 'pkg', ...BUDGET], {
      cwd: parent,
    });
    expect(moved.exitCode).toBe(0);
    expect(firstBatchCall(moved.report, moved.outDir)).toEqual({ cwd: pkg, tests: ['test/a.js'] });
  }, 120_000);

  it("runs a --cmd written in package.json from the package's root, wherever leakhunt is started", async () => {
    const { pkg } = packageRoot();
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'pkg', leakhunt: { cmd: 'node_modules/.bin/tape {tests}' } }));
    const run = await runLeakhunt(['run', '../pass.txt', ...BUDGET], { cwd: join(pkg, 'test') });
    expect(run.exitCode).toBe(0);
    expect(firstBatchCall(run.report, run.outDir)).toEqual({ cwd: pkg, tests: ['test/a.js'] });
  }, 120_000);
});
