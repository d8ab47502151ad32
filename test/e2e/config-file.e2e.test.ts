// The config file beside the project, through the built CLI: each place it may live, flags
// overriding it, --print-config naming where each value came from, bad keys refused with exit 2.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, makeOutDir, runLeakhunt } from '../helpers/run-leakhunt.js';

/** `leakhunt …` without the --out that runLeakhunt adds (plan takes none; --out would hide the file's). */
async function cli(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const result = await execa(process.execPath, [CLI, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

/** A directory with .git (where the search stops), a trivial pytest project and a 6-test selection. */
function project(files: Record<string, string>): string {
  const dir = makeOutDir();
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
  writeFileSync(join(dir, 'test_six.py'), Array.from({ length: 6 }, (_, i) => `def test_${i}():\n    pass\n`).join('\n'));
  writeFileSync(join(dir, 'tests.txt'), Array.from({ length: 6 }, (_, i) => `test_six.py::test_${i}`).join('\n'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const batchesOf = (stdout: string): number => (JSON.parse(stdout) as { batches: unknown[] }).batches.length;

describe('config file beside the project', () => {
  it.each([
    ['pyproject.toml [tool.leakhunt]', { 'pyproject.toml': '[tool.other]\nx = 1\n\n[tool.leakhunt]\nbatch-size = 2\n' }],
    ['package.json "leakhunt" key', { 'package.json': JSON.stringify({ name: 'p', leakhunt: { 'batch-size': 2 } }) }],
    ['leakhunt.config.json', { 'leakhunt.config.json': '{ "batch-size": 2 }' }],
    ['leakhunt.config.mjs', { 'leakhunt.config.mjs': 'export default { "batch-size": 2 };\n' }],
    ['leakhunt.config.js (CommonJS)', { 'leakhunt.config.js': 'module.exports = { "batch-size": 2 };\n' }],
  ])(
    'reads %s; a flag on the command line overrides it',
    async (_, files) => {
      const dir = project(files);
      const fromFile = await cli(['plan', 'tests.txt', '--json'], dir);
      expect(fromFile.stderr).toBe('');
      expect(batchesOf(fromFile.stdout)).toBe(3);
      const overridden = await cli(['plan', 'tests.txt', '--json', '--batch-size', '3'], dir);
      expect(batchesOf(overridden.stdout)).toBe(2);
    },
    60_000,
  );

  it('is found from a subdirectory, with paths in it relative to the file', async () => {
    const dir = project({ 'leakhunt.config.json': '{ "batch-size": 2, "out": "hunts" }' });
    mkdirSync(join(dir, 'sub'));
    const run = await cli(['plan', '../tests.txt', '--json'], join(dir, 'sub'));
    expect(batchesOf(run.stdout)).toBe(3);
    const printed = await cli(['run', '../tests.txt', '--print-config'], join(dir, 'sub'));
    expect(printed.stdout).toContain(`"${join(dir, 'hunts')}"`);
  }, 60_000);

  it('--print-config shows the merged flags and where each came from, and runs nothing', async () => {
    const dir = project({
      'pyproject.toml': '[tool.leakhunt]\nbatch-size = 2\nmemory = "300MB"\nrunner-arg = ["-p", "no:cacheprovider"]\n',
    });
    const run = await cli(['run', 'tests.txt', '--memory', '400MB', '--print-config'], dir);
    expect(run.exitCode).toBe(0);
    const line = (key: string): string => run.stdout.split('\n').find((l) => l.trimStart().startsWith(`${key} `)) ?? '';
    expect(run.stdout).toContain('config file pyproject.toml [tool.leakhunt]');
    expect(line('batch-size')).toMatch(/2\s+pyproject\.toml$/);
    expect(line('memory')).toMatch(/"400MB"\s+command line$/);
    expect(line('timeout')).toMatch(/"5m"\s+default$/);
    expect(line('runner-arg')).toMatch(/\["-p","no:cacheprovider"\]\s+pyproject\.toml$/);
    expect(existsSync(join(dir, '.leakhunt'))).toBe(false);
  }, 60_000);

  it('--config chooses a file elsewhere', async () => {
    const dir = project({});
    const other = join(makeOutDir(), 'ci.json');
    writeFileSync(other, '{ "batch-size": 1 }');
    const run = await cli(['plan', 'tests.txt', '--json', '--config', other], dir);
    expect(batchesOf(run.stdout)).toBe(6);
  }, 60_000);
});

describe('a bad config file stops before any run, exit 2, naming the file and key', () => {
  it.each([
    [
      'an unknown key, with the flag it was meant to be',
      { 'pyproject.toml': '[tool.leakhunt]\nbatch_size = 2\n' },
      /pyproject\.toml \[tool\.leakhunt\]: unknown key "batch_size"[\s\S]*hint: write it as the long flag: batch-size/,
    ],
    ['a key that is no flag', { 'leakhunt.config.json': '{ "colour": "red" }' }, /leakhunt\.config\.json: unknown key "colour"/],
    [
      'a value of the wrong type',
      { 'package.json': '{ "leakhunt": { "batch-size": "4" } }' },
      /package\.json key "leakhunt": "batch-size" must be a number or "auto", got "4"/,
    ],
    ['a value outside the choices', { 'leakhunt.config.json': '{ "backend": "magic" }' }, /"backend" must be one of "auto", "cgroup"/],
    ['broken TOML, with its line', { 'pyproject.toml': '[tool.leakhunt]\nbatch-size = = 2\n' }, /pyproject\.toml:2: not valid TOML/],
    [
      'two configurations in one directory',
      { 'leakhunt.config.json': '{}', 'package.json': '{ "leakhunt": {} }' },
      /two leakhunt configurations in \.: package\.json \(key "leakhunt"\) and leakhunt\.config\.json/,
    ],
  ])(
    '%s',
    async (_, files, message) => {
      const dir = project(files);
      const run = await runLeakhunt(['run', 'tests.txt', '--memory', '200MB'], { cwd: dir });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.report).toBeUndefined();
    },
    60_000,
  );
});

describe('collect and doctor read the same file, for the flags they share with run', () => {
  const entriesOf = (stdout: string): string[] => stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  it("collect passes the file's runner-arg to pytest; --runner-arg on the command line replaces it", async () => {
    // batch-size is a key of run and plan only: collect skips it instead of refusing the file.
    const dir = project({ 'pyproject.toml': '[tool.leakhunt]\nbatch-size = 2\nrunner-arg = ["-k", "test_1"]\n' });
    const fromFile = await cli(['collect', '--tests'], dir);
    expect(fromFile.exitCode).toBe(0);
    expect(entriesOf(fromFile.stdout)).toEqual(['test_six.py::test_1']);
    const overridden = await cli(['collect', '--tests', '--runner-arg=-k', '--runner-arg=test_4'], dir);
    expect(entriesOf(overridden.stdout)).toEqual(['test_six.py::test_4']);
    const printed = await cli(['collect', '--print-config'], dir);
    expect(printed.stdout).toMatch(/runner-arg +\["-k","test_1"\] +pyproject\.toml/);
    expect(printed.stdout).not.toContain('batch-size');
  }, 60_000);

  it("doctor checks the file's --out; --out on the command line replaces it", async () => {
    const dir = project({ 'pyproject.toml': '[tool.leakhunt]\nmemory = "300MB"\nout = "/proc/leakhunt-doctor"\n' });
    const fromFile = await cli(['doctor'], dir);
    expect(fromFile.exitCode).toBe(3);
    expect(fromFile.stdout).toMatch(/A hunt cannot run here: --out \/proc\/leakhunt-doctor\.$/);
    const out = makeOutDir();
    const overridden = await cli(['doctor', '--out', out], dir);
    expect(overridden.stdout).toMatch(new RegExp(`^✓ --out ${out}`, 'm'));
    expect(overridden.exitCode).toBe(0);
  }, 120_000);
});
