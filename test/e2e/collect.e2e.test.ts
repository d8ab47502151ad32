// `leakhunt collect` through the built CLI on the bundled suites: the runner itself lists
// the tests, the selection it writes is one `leakhunt run`/`plan` reads back as is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, makeOutDir, REPO } from '../helpers/run-leakhunt.js';

async function leakhunt(args: readonly string[]) {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd: REPO,
    reject: false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
    extendEnv: false,
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const entriesOf = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('leakhunt collect', () => {
  it.each([
    ['pytest', 10, 'tests/test_api.py'],
    ['jest', 5, 'tests/export.test.js'],
    ['vitest', 7, 'tests/export.test.js'],
    ['node-test', 7, 'tests/export.test.js'],
  ])(
    "lists the %s example's %i test files from the runner, in a selection plan reads back",
    async (runner, files, one) => {
      const out = join(makeOutDir(), 'all.txt');
      const collected = await leakhunt(['collect', `test/examples/${runner}`, '-o', out]);
      expect(collected.exitCode).toBe(0);
      expect(collected.stderr).toContain(`${runner} in ${join(REPO, 'test/examples', runner)}`);
      const entries = entriesOf(readFileSync(out, 'utf8'));
      expect(entries).toHaveLength(files);
      // The count it says is of what it printed: files (pytest also says how many tests they hold).
      const found = runner === 'pytest' ? `: \\d+ tests in ${files} files, listed by file` : `: ${files} files$`;
      expect(collected.stderr).toMatch(new RegExp(found, 'm'));
      expect(entries.some((entry) => entry.endsWith(`test/examples/${runner}/${one}`))).toBe(true);
      const plan = await leakhunt(['plan', out, '--json', '--batch-size', '100']);
      expect(plan.exitCode).toBe(0);
      const parsed = JSON.parse(plan.stdout) as { runner: string; batches: { tests: string[] }[] };
      expect(parsed.runner).toBe(runner);
      expect(parsed.batches[0]!.tests).toHaveLength(files);
      const planText = await leakhunt(['plan', out, '--batch-size', '100']);
      expect(planText.stdout).toMatch(new RegExp(`^${files} files in 1 batch`));
    },
    120_000,
  );

  it('gives pytest node ids with --tests, relative to the working directory on stdout', async () => {
    const run = await leakhunt(['collect', 'test/examples/pytest/tests/billing', '--tests']);
    expect(run.exitCode).toBe(0);
    const entries = entriesOf(run.stdout);
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.every((entry) => entry.startsWith('test/examples/pytest/tests/billing/') && entry.includes('::'))).toBe(true);
  }, 60_000);

  it('says when a JS runner cannot list single tests, and refuses the generic runner', async () => {
    const jest = await leakhunt(['collect', 'test/examples/jest', '--tests']);
    expect(jest.stderr).toContain('jest runs whole files');
    const generic = await leakhunt(['collect', 'test/examples/jest', '--runner', 'generic']);
    expect(generic.exitCode).toBe(2);
    expect(generic.stderr).toContain('collect needs a runner that can list its tests');
  }, 60_000);
});
