// What a hunt learns once about the machine it keeps (src/util/user-cache.ts), so that one
// passing batch costs about what the runner costs: the interpreter behind a pyenv shim
// (src/runners/pyenv-shim.ts) and the runner's floor (src/execute/floor-cache.ts). Real
// processes throughout: a pyenv-shaped shim (bash, `pyenv exec`, a version's bin/ in front of
// PATH, PYENV_VERSION) in front of the machine's real python, and real pytest runs.

import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const TEST_FILE = `import os

def test_sees_what_the_shim_gives():
    # Started directly or through the shim, the test sees the shim's choice.
    assert os.environ.get("PYENV_VERSION") == "leakhunt-fake"
    assert os.environ["PATH"].split(os.pathsep)[0].endswith("/versions/leakhunt-fake/bin")
`;

interface FakePyenv {
  readonly shim: string;
  /** One line per start of the shim. */
  readonly startsLog: string;
}

/** A pyenv laid out as pyenv lays itself out: shims/ → libexec/pyenv exec → versions/<v>/bin/python3. */
async function fakePyenv(options: { refuseQuestions?: boolean } = {}): Promise<FakePyenv> {
  const root = tempDir('leakhunt-fake-pyenv-');
  // The machine's python3 may itself be a shim: the fake version is the interpreter it ends in.
  const { stdout: realPython } = await execa('python3', ['-c', 'import sys; print(sys.executable)']);
  mkdirSync(join(root, 'versions/leakhunt-fake/bin'), { recursive: true });
  symlinkSync(realPython.trim(), join(root, 'versions/leakhunt-fake/bin/python3'));
  mkdirSync(join(root, 'shims'));
  mkdirSync(join(root, 'libexec'));
  const startsLog = join(root, 'starts.log');
  writeFileSync(
    join(root, 'shims/python3'),
    `#!/usr/bin/env bash\nset -e\necho started >> '${startsLog}'\nprogram="\${0##*/}"\nexec "${root}/libexec/pyenv" exec "$program" "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    join(root, 'libexec/pyenv'),
    `#!/usr/bin/env bash\nset -e\nshift\nprogram="$1"\nshift\n${options.refuseQuestions === true ? 'if [ "$1" = -c ]; then exit 1; fi\n' : ''}export PYENV_VERSION=leakhunt-fake\nexport PATH="${root}/versions/leakhunt-fake/bin:$PATH"\nexec "${root}/versions/leakhunt-fake/bin/$program" "$@"\n`,
    { mode: 0o755 },
  );
  return { shim: join(root, 'shims/python3'), startsLog };
}

function startsOf(pyenv: FakePyenv): number {
  return existsSync(pyenv.startsLog) ? readFileSync(pyenv.startsLog, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('a hunt starts what it learned once', () => {
  let pyenv: FakePyenv;
  let project: string;
  let selection: string;
  let cacheDir: string;

  beforeAll(async () => {
    pyenv = await fakePyenv();
    project = tempDir('leakhunt-start-cost-');
    writeFileSync(join(project, 'pytest.ini'), '[pytest]\n');
    writeFileSync(join(project, 'test_env.py'), TEST_FILE);
    selection = join(project, 'selection.txt');
    writeFileSync(selection, 'test_env.py\n');
    cacheDir = tempDir('leakhunt-start-cost-cache-');
  }, 60_000);

  const hunt = () =>
    runLeakhunt(
      ['run', selection, '--runner', 'pytest', '--project', project, '--python', pyenv.shim, '--memory', '300MB', '--timeout', '60s'],
      { env: { LEAKHUNT_CACHE_DIR: cacheDir } },
    );

  it('asks a pyenv shim once, then starts its interpreter directly with the environment the shim gives', async () => {
    const first = await hunt();
    expect(first.exitCode).toBe(0);
    expect(first.report?.status).toBe('complete');
    expect(first.report?.batches.map((b) => b.verdict?.outcome)).toEqual(['passed']);
    // The one start of the shim is the question; the floor run and the batch went direct.
    expect(startsOf(pyenv)).toBe(1);
    expect(existsSync(join(first.outDir, 'logs/floor.log'))).toBe(true);
    expect(survivorsOf(first.pid)).toEqual([]);

    const second = await hunt();
    expect(second.exitCode).toBe(0);
    expect(second.report?.batches.map((b) => b.verdict?.outcome)).toEqual(['passed']);
    expect(startsOf(pyenv)).toBe(1); // the answer came from the cache
    // The floor too: no floor run this time.
    expect(existsSync(join(second.outDir, 'logs/floor.log'))).toBe(false);
    // The interpreter that ran is the one the shim starts, as it was through the shim.
    expect(second.report?.runner.version).toMatch(/^pytest \S+ \(.*\/versions\/leakhunt-fake\/bin\/python3\)$/);
  }, 180_000);

  it('asks again when what pyenv chooses by changes (a .python-version), and measures the floor again when the project changes', async () => {
    const before = startsOf(pyenv);
    writeFileSync(join(project, '.python-version'), 'leakhunt-fake\n');
    const asked = await hunt();
    expect(asked.exitCode).toBe(0);
    expect(startsOf(pyenv)).toBe(before + 1);
    appendFileSync(join(project, 'pytest.ini'), 'addopts = -q\n');
    const measured = await hunt();
    expect(measured.exitCode).toBe(0);
    expect(existsSync(join(measured.outDir, 'logs/floor.log'))).toBe(true);
  }, 180_000);

  it('a budget below the cached floor is still refused before any batch', async () => {
    const run = await runLeakhunt(
      ['run', selection, '--runner', 'pytest', '--project', project, '--python', pyenv.shim, '--memory', '9MiB', '--timeout', '60s'],
      { env: { LEAKHUNT_CACHE_DIR: cacheDir } },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--memory 9\.0 MiB is below what pytest needs with no test at all/);
    expect(existsSync(join(run.outDir, 'logs/floor.log'))).toBe(false);
    expect(existsSync(join(run.outDir, 'logs/b001.log'))).toBe(false);
  }, 120_000);

  it('starts the shim itself when it gives no answer', async () => {
    const broken = await fakePyenv({ refuseQuestions: true });
    const run = await runLeakhunt(
      ['run', selection, '--runner', 'pytest', '--project', project, '--python', broken.shim, '--memory', '2GiB', '--timeout', '60s'],
      { env: { LEAKHUNT_CACHE_DIR: cacheDir } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.report?.batches.map((b) => b.verdict?.outcome)).toEqual(['passed']);
    expect(startsOf(broken)).toBe(2); // the question, then the batch through the shim
  }, 120_000);

  it('jest: the floor is measured once, then taken from the cache', async () => {
    const jestCache = tempDir('leakhunt-start-cost-jest-cache-');
    const passing = join(jestCache, 'passing.txt');
    writeFileSync(
      passing,
      ['cart', 'checkout', 'receipts'].map((name) => join(REPO, `test/examples/jest/tests/${name}.test.js`)).join('\n'),
    );
    const args = [
      'run',
      passing,
      '--runner',
      'jest',
      '--project',
      join(REPO, 'test/examples/jest'),
      '--memory',
      '300MB',
      '--timeout',
      '60s',
    ];
    const first = await runLeakhunt(args, { env: { LEAKHUNT_CACHE_DIR: jestCache } });
    expect(existsSync(join(first.outDir, 'logs/floor.log'))).toBe(true);
    const second = await runLeakhunt(args, { env: { LEAKHUNT_CACHE_DIR: jestCache } });
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    expect(existsSync(join(second.outDir, 'logs/floor.log'))).toBe(false);
  }, 180_000);

  it('leakhunt doctor says which python runs start instead of the shim', async () => {
    const run = await runLeakhunt(['doctor', '--python', pyenv.shim], { env: { LEAKHUNT_CACHE_DIR: cacheDir } });
    const line = run.stdout.split('\n').find((text) => text.includes('python + pytest')) ?? '';
    expect(line).toMatch(/^✓ python \+ pytest\s+.*; a pyenv shim: runs start \/.*\/versions\/leakhunt-fake\/bin\/python3 directly$/);
  }, 120_000);
});
