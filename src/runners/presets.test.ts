// What the pytest and jest presets build: argv and repro lines. Creating them touches the
// machine (jest is resolved from the project, python from PATH), so these use the bundled
// example suites and an explicit python.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { EnvironmentError, UsageError } from '../errors.js';
import { createRunner } from './index.js';
import { resolvePython } from './pytest.js';

const examples = new URL('../../test/examples/', import.meta.url).pathname;

describe('pytest preset', () => {
  const runner = createRunner('pytest', { projectDir: '/proj', python: '/usr/bin/python3' });

  it('runs the tests in order with a JUnit report and without the cache provider', () => {
    expect(runner.command(['tests/test_a.py::test_x', 'tests/test_b.py'], '/tmp/r.xml').argv).toEqual([
      '/usr/bin/python3',
      '-m',
      'pytest',
      '-p',
      'no:cacheprovider',
      '-p',
      'no:randomly',
      '--rootdir',
      '/proj',
      '--junitxml',
      '/tmp/r.xml',
      '-q',
      'tests/test_a.py::test_x',
      'tests/test_b.py',
    ]);
  });

  it('puts extra options before the tests and extra arguments after them', () => {
    const extras = { argvBefore: ['-p', 'leakhunt_probe'], argvAfter: ['--tail'], env: { LEAKHUNT_PROBE_FILE: '/tmp/p' } };
    const command = runner.command(['tests/test_a.py'], '/tmp/r.xml', extras);
    expect(command.argv.slice(-5)).toEqual(['-q', '-p', 'leakhunt_probe', 'tests/test_a.py', '--tail']);
    expect(command.env).toEqual({ LEAKHUNT_PROBE_FILE: '/tmp/p' });
  });

  it('writes a repro line with the chosen python and without report flags, quoting node ids with brackets and spaces', () => {
    expect(runner.reproCommand(['tests/test_x.py::test_hog'])).toBe('/usr/bin/python3 -m pytest tests/test_x.py::test_hog');
    expect(runner.reproCommand(['tests/test_a.py::TestA::test_b[x y]', 'tests/test_v.py::test_victim'])).toBe(
      "/usr/bin/python3 -m pytest -p no:randomly 'tests/test_a.py::TestA::test_b[x y]' tests/test_v.py::test_victim",
    );
  });

  it('writes the repro from where the user stands: node ids from there and --rootdir, no cd', () => {
    expect(runner.reproCommand(['tests/test_x.py::T::test_hog'], [], '/proj')).toBe(
      '/usr/bin/python3 -m pytest tests/test_x.py::T::test_hog',
    );
    expect(runner.reproCommand(['tests/test_x.py::T::test_hog'], [], '/')).toBe(
      '/usr/bin/python3 -m pytest --rootdir proj proj/tests/test_x.py::T::test_hog',
    );
    expect(runner.reproCommand(['tests/test_x.py::T::test_hog', 'tests/test_v.py'], [], '/proj/tests')).toBe(
      '/usr/bin/python3 -m pytest --rootdir .. -p no:randomly test_x.py::T::test_hog test_v.py',
    );
  });

  it('puts --runner-arg values after its own flags and before the tests, and in the repro line', () => {
    const withArgs = createRunner('pytest', { projectDir: '/proj', python: '/usr/bin/python3', runnerArgs: ['-n', '2'] });
    expect(withArgs.command(['tests/test_a.py'], '/tmp/r.xml').argv.slice(-4)).toEqual(['-q', '-n', '2', 'tests/test_a.py']);
    expect(withArgs.reproCommand(['tests/test_a.py'])).toBe('/usr/bin/python3 -m pytest -n 2 tests/test_a.py');
  });

  it('refuses --runner-arg options leakhunt sets itself', () => {
    expect(() => createRunner('pytest', { projectDir: '/proj', python: '/usr/bin/python3', runnerArgs: ['--junitxml=x.xml'] })).toThrow(
      '--runner-arg --junitxml=x.xml: leakhunt sets --junitxml itself for pytest and reads what it writes',
    );
    expect(() => createRunner('generic', { projectDir: '/p', cmd: 't {tests}', runnerArgs: ['-v'] })).toThrow(UsageError);
  });

  it('throws an EnvironmentError with a hint when no python is on PATH', () => {
    expect(() => resolvePython({ projectDir: '/proj', pathEnv: '/nonexistent-leakhunt-dir' })).toThrow(EnvironmentError);
  });
});

describe('jest preset', () => {
  const projectDir = join(examples, 'jest');
  const runner = createRunner('jest', { projectDir });

  it("runs the project's jest in band, by path, in our order, with a JSON report", () => {
    const { argv } = runner.command(['tests/a.test.js', 'tests/b c.test.js'], '/tmp/r.json');
    expect(argv[0]).toBe(process.execPath);
    expect(argv[1]).toMatch(/node_modules\/jest\/bin\/jest\.js$/);
    expect(argv.slice(2)).toEqual([
      '--ci',
      '--runInBand',
      '--testSequencer',
      expect.stringMatching(/probes\/jest-keep-order-sequencer\.cjs$/),
      '--json',
      '--outputFile',
      '/tmp/r.json',
      '--passWithNoTests',
      '--runTestsByPath',
      'tests/a.test.js',
      'tests/b c.test.js',
    ]);
  });

  it('appends extra arguments after the tests, where an array option cannot swallow them', () => {
    const extras = {
      argvBefore: [],
      argvAfter: ['--setupFilesAfterEnv', '/u/setup.js', '/lh/setup.cjs'],
      env: { NODE_OPTIONS: '--expose-gc' },
    };
    const command = runner.command(['tests/a.test.js'], '/tmp/r.json', extras);
    expect(command.argv.slice(-5)).toEqual(['--runTestsByPath', 'tests/a.test.js', '--setupFilesAfterEnv', '/u/setup.js', '/lh/setup.cjs']);
    expect(command.env).toEqual({ NODE_OPTIONS: '--expose-gc' });
  });

  it('writes a repro line with npx, with a cd only when the user stands elsewhere (jest reads its config from its cwd)', () => {
    expect(runner.reproCommand(['tests/export.test.js'])).toBe('npx jest --runInBand --runTestsByPath tests/export.test.js');
    expect(runner.reproCommand(['tests/export.test.js'], [], projectDir)).toBe(
      'npx jest --runInBand --runTestsByPath tests/export.test.js',
    );
    expect(runner.reproCommand(['tests/export.test.js'], [], dirname(projectDir))).toBe(
      `cd ${basename(projectDir)} && npx jest --runInBand --runTestsByPath tests/export.test.js`,
    );
  });

  it("keeps the order of several files in a repro with the sequencer's copy in --out, never leakhunt's install", () => {
    const inOut = createRunner('jest', { projectDir, reproSequencer: join(projectDir, '.leakhunt/jest-keep-order-sequencer.cjs') });
    expect(inOut.reproCommand(['tests/a.test.js', 'tests/v.test.js'])).toBe(
      'npx jest --runInBand --testSequencer ./.leakhunt/jest-keep-order-sequencer.cjs --runTestsByPath tests/a.test.js tests/v.test.js',
    );
    expect(inOut.reproOrderNote?.(['tests/a.test.js', 'tests/v.test.js'])).toContain('written beside this report');
    // One file (even named twice, narrowed by test name) has no order to keep.
    expect(inOut.reproCommand(['tests/a.test.js', 'tests/a.test.js'])).not.toContain('--testSequencer');
    expect(inOut.reproOrderNote?.(['tests/a.test.js'])).toBeUndefined();
    const elsewhere = createRunner('jest', { projectDir, reproSequencer: '/var/out/jest-keep-order-sequencer.cjs' });
    expect(elsewhere.reproCommand(['tests/a.test.js', 'tests/v.test.js'])).toContain(
      '--testSequencer /var/out/jest-keep-order-sequencer.cjs',
    );
  });

  it('puts --runner-arg values before --runTestsByPath and in the repro line; refuses the report options', () => {
    const withArgs = createRunner('jest', { projectDir, runnerArgs: ['--maxWorkers=1', '--silent'] });
    expect(withArgs.command(['tests/a.test.js'], '/tmp/r.json').argv.slice(-4)).toEqual([
      '--maxWorkers=1',
      '--silent',
      '--runTestsByPath',
      'tests/a.test.js',
    ]);
    expect(withArgs.reproCommand(['tests/a.test.js'])).toBe(
      'npx jest --runInBand --maxWorkers=1 --silent --runTestsByPath tests/a.test.js',
    );
    expect(() => createRunner('jest', { projectDir, runnerArgs: ['--outputFile', 'x.json'] })).toThrow(UsageError);
  });

  it("tells its version from jest's package.json", async () => {
    expect(await runner.version()).toMatch(/^jest \d+\.\d+\.\d+$/);
  });

  it('throws an EnvironmentError naming the directory when jest is not installed there', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'leakhunt-nojest-'));
    try {
      expect(() => createRunner('jest', { projectDir: bare })).toThrow(
        `jest is not installed in ${bare}; run npm install there, or pass --runner`,
      );
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('createRunner', () => {
  it('refuses --python for a runner other than pytest', () => {
    expect(() => createRunner('generic', { projectDir: '/p', cmd: 't {tests}', python: 'python3' })).toThrow(
      '--python only applies to the pytest runner, not generic',
    );
  });

  it('asks for --cmd with the generic runner and refuses it with the others', () => {
    expect(() => createRunner('generic', { projectDir: '/p' })).toThrow(UsageError);
    expect(() => createRunner('pytest', { projectDir: '/p', cmd: 'x {tests}', python: 'python3' })).toThrow(
      '--cmd only applies to --runner generic',
    );
  });
});
