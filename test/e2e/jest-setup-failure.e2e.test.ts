// A jest project whose setup file throws: jest fails every test file the same way before any
// test runs. That is one broken setup, not N failing files (each used to be confirmed alone and
// named `failing`: 4 files, 10 runs, 4 innocent names). Now one finding names nobody and quotes
// the error, after one run alone. Files that each throw themselves are still each named.
// Real jest processes in a temp project (leakhunt's own jest, linked in), through the CLI.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const ERROR = "throw new Error('database at localhost:5432 refused the connection');\n";
const FILES = ['a', 'b', 'c', 'd'].map((x) => `tests/${x}.test.js`);

function project(jestConfig: Record<string, unknown>, files: Record<string, string>): string {
  const dir = tempDir('leakhunt-jest-setup-');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'setup-fails', private: true, jest: { testEnvironment: 'node', ...jestConfig } }),
  );
  mkdirSync(join(dir, 'tests'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  writeFileSync(
    join(dir, 'selection.txt'),
    `${Object.keys(files)
      .filter((path) => path.startsWith('tests/'))
      .join('\n')}\n`,
  );
  return dir;
}

const passing = (name: string): string => `test('${name} works', () => { expect(1).toBe(1); });\n`;
const hunt = (dir: string) =>
  runLeakhunt(['run', 'selection.txt', '--runner', 'jest', '--memory', '400MB', '--timeout', '30s'], { cwd: dir });

describe('a jest setup file that throws', () => {
  it('is one finding that names no test file and quotes the error, after one run alone', async () => {
    const dir = project({ setupFiles: ['./setup.js'] }, { 'setup.js': ERROR, ...Object.fromEntries(FILES.map((f) => [f, passing(f)])) });
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(batch.verdict.setupFailure).toBe('database at localhost:5432 refused the connection (at setup.js:1:7)');
    const findings = run.report!.findings;
    expect(findings.map((f) => [f.kind, f.culprits])).toEqual([['unresolved', []]]);
    expect(findings[0]!.because).toMatch(
      /^every run fails before any test runs: database at localhost:5432 refused the connection \(at setup\.js:1:7\); all 4 entries failed to run/,
    );
    expect(findings[0]!.because).toContain('no test is named');
    // The batch and one file alone: not a confirmation and a run alone per file.
    expect(run.report!.runs).toHaveLength(2);
    expect(run.stdout).not.toMatch(/✗ failing/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('leaves files that each throw at their own top level named as failing, each', async () => {
    const dir = project({}, { 'tests/a.test.js': ERROR, 'tests/b.test.js': passing('b'), 'tests/c.test.js': ERROR });
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    expect(run.report!.runs.find((r) => r.kind === 'batch')!.verdict.setupFailure).toBeUndefined();
    expect(run.report!.findings.map((f) => [f.kind, f.culprits])).toEqual([
      ['failing', ['tests/a.test.js']],
      ['failing', ['tests/c.test.js']],
    ]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('a globalSetup that throws: the batch says which hook threw and why, and no file is named', async () => {
    const dir = project(
      { globalSetup: './global-setup.js' },
      {
        'global-setup.js': "module.exports = async () => {\n  throw new Error('database at localhost:5432 refused the connection');\n};\n",
        ...Object.fromEntries(FILES.map((f) => [f, passing(f)])),
      },
    );
    const run = await hunt(dir);
    expect(run.exitCode).toBe(1);
    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(batch.verdict.outcome).toBe('error');
    expect(batch.verdict.because).toBe(
      "every run fails before any test runs: jest's globalSetup (global-setup.js) threw: database at localhost:5432 refused the connection — no test file ran, none is named",
    );
    expect(run.report!.findings).toEqual([]);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      "jest's globalSetup (global-setup.js) threw: database at localhost:5432 refused the connection",
    );
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('pytest: a session fixture in conftest.py that raises is one finding too, not every file failing', async () => {
    const dir = tempDir('leakhunt-pytest-setup-');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(
      join(dir, 'tests', 'conftest.py'),
      'import pytest\n\n\n@pytest.fixture(scope="session", autouse=True)\ndef database():\n    raise ConnectionError("database at localhost:5432 refused the connection")\n',
    );
    for (const x of ['a', 'b', 'c', 'd']) writeFileSync(join(dir, 'tests', `test_${x}.py`), `def test_${x}():\n    assert True\n`);
    writeFileSync(join(dir, 'selection.txt'), ['a', 'b', 'c', 'd'].map((x) => `tests/test_${x}.py`).join('\n'));
    const run = await runLeakhunt(['run', 'selection.txt', '--memory', '200MB', '--timeout', '30s'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(batch.verdict.setupFailure).toBe('ConnectionError: database at localhost:5432 refused the connection (at conftest.py:6)');
    expect(run.report!.findings.map((f) => [f.kind, f.culprits])).toEqual([['unresolved', []]]);
    expect(run.report!.findings[0]!.because).toMatch(/^every run fails before any test runs: ConnectionError: database at localhost:5432/);
    expect(run.report!.runs).toHaveLength(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});
