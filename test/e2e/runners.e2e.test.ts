// The presets against the real pytest and jest: the argv they build is run as is (with
// execa, not through the executor), then readResults reads what the runner left behind.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { createRunner } from '../../src/runners/index.js';
import type { RunnerPreset, TestResults } from '../../src/runners/types.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, 'test/examples');
const RUN_TIMEOUT_MS = 30_000; // generous: other suites share the 2 cores
const TEST_TIMEOUT_MS = 60_000;

let scratch: string;
let runs = 0;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'leakhunt-runners-e2e-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

interface Ran {
  readonly exitCode: number | undefined;
  readonly results: TestResults;
  readonly output: string;
}

/** Runs the preset's own argv in projectDir and reads its results. */
async function run(runner: RunnerPreset, projectDir: string, tests: readonly string[]): Promise<Ran> {
  runs += 1;
  const resultsPath = join(scratch, `results-${runs}`);
  const { argv, env } = runner.command(tests, resultsPath);
  const child = await execa(argv[0], argv.slice(1), { cwd: projectDir, env, reject: false, timeout: RUN_TIMEOUT_MS, all: true });
  const results = await runner.readResults(resultsPath, child.exitCode);
  return { exitCode: child.exitCode, results, output: child.all ?? '' };
}

describe('pytest preset on real pytest', () => {
  const suite = () => join(scratch, 'pysuite');
  let runner: RunnerPreset;

  beforeAll(async () => {
    await writeTree(suite(), {
      'pytest.ini': '[pytest]\n',
      'tests/test_shop.py': [
        'import pytest',
        '',
        '@pytest.fixture',
        'def database():',
        '    raise RuntimeError("database unavailable")',
        '',
        'def test_total():',
        '    assert 2 + 2 == 4',
        '',
        'class TestRefunds:',
        '    @pytest.mark.parametrize("amount", [10, 20])',
        '    def test_refund(self, amount):',
        '        assert amount == 10',
        '',
        'def test_uses_database(database):',
        '    pass',
        '',
      ].join('\n'),
      'tests/test_broken.py': 'import module_that_does_not_exist\n\ndef test_never():\n    pass\n',
      'tests/test_empty.py': '# no tests yet\n',
    });
    runner = createRunner('pytest', { projectDir: suite() });
  });

  it(
    'names failing and erroring tests by node id, classes and parameters kept',
    async () => {
      const ran = await run(runner, suite(), ['tests/test_shop.py']);
      expect(ran.exitCode).toBe(1);
      expect(ran.results).toEqual({
        collected: 4,
        failing: ['tests/test_shop.py::TestRefunds::test_refund[20]', 'tests/test_shop.py::test_uses_database'],
        passed: 2,
        skipped: 0,
        startError: undefined,
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a module that fails to import as a failing file (exit 2), not as a start error',
    async () => {
      const ran = await run(runner, suite(), ['tests/test_shop.py::test_total', 'tests/test_broken.py']);
      expect(ran.exitCode).toBe(2);
      expect(ran.results.failing).toEqual(['tests/test_broken.py']);
      expect(ran.results.startError).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reads exit 5 as nothing collected',
    async () => {
      const ran = await run(runner, suite(), ['tests/test_empty.py']);
      expect(ran.exitCode).toBe(5);
      expect(ran.results.collected).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reads a node id that does not exist as pytest refusing the arguments (exit 4)',
    async () => {
      const ran = await run(runner, suite(), ['tests/test_shop.py::test_nope']);
      expect(ran.exitCode).toBe(4);
      expect(ran.output).toContain('not found');
      expect(ran.results.startError).toMatch(/^pytest refused the arguments \(exit 4\)/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'maps the tests of a directory entry back to node ids on the example suite',
    async () => {
      const projectDir = join(examples, 'pytest');
      const ran = await run(createRunner('pytest', { projectDir }), projectDir, ['tests/billing', 'tests/test_inventory.py']);
      expect(ran.exitCode).toBe(0);
      expect(ran.results).toMatchObject({ collected: 3, failing: [], passed: 3, startError: undefined });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'says nothing about tests when pytest is killed before writing its report',
    async () => {
      const projectDir = join(examples, 'pytest');
      const preset = createRunner('pytest', { projectDir });
      const resultsPath = join(scratch, 'killed.xml');
      const { argv } = preset.command(['tests/test_sync.py::test_sync_with_exchange'], resultsPath);
      // Own process group, killed whole, so the hanging `sleep 1000` goes with it.
      const child = execa(argv[0], argv.slice(1), { cwd: projectDir, detached: true, reject: false, stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      process.kill(-(child.pid ?? 0), 'SIGKILL');
      const ended = await child;
      expect(ended.signal).toBe('SIGKILL');
      expect(await preset.readResults(resultsPath, ended.exitCode)).toEqual({
        collected: undefined,
        failing: [],
        passed: 0,
        skipped: 0,
        startError: undefined,
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports the pytest version',
    async () => {
      expect(await runner.version()).toMatch(/^pytest \d+\.\d+/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('jest preset on real jest', () => {
  // Under the repository (test-output/ is git-ignored) so the suite finds leakhunt's jest.
  let suite: string;
  let runner: RunnerPreset;

  beforeAll(async () => {
    await mkdir(join(repoRoot, 'test-output'), { recursive: true });
    suite = await mkdtemp(join(repoRoot, 'test-output', 'runners-e2e-'));
    await writeTree(suite, {
      'package.json': JSON.stringify({ private: true, jest: { testEnvironment: 'node' } }),
      'tests/ok.test.js': "test('adds', () => { expect(1 + 1).toBe(2); });\n",
      'tests/wrong.test.js': "test('subtracts', () => { expect(2 - 1).toBe(3); });\n",
      'tests/broken.test.js': "require('./missing-module');\ntest('never', () => {});\n",
      // Slow file: jest's default sequencer would run it first next time (cached duration).
      'tests/slow.test.js': "test('waits', () => new Promise((resolve) => setTimeout(resolve, 300)));\n",
    });
    runner = createRunner('jest', { projectDir: suite });
  });
  afterAll(async () => {
    await rm(suite, { recursive: true, force: true });
  });

  it(
    'passes a passing file of the example suite',
    async () => {
      const projectDir = join(examples, 'jest');
      const ran = await run(createRunner('jest', { projectDir }), projectDir, ['tests/cart.test.js', 'tests/checkout.test.js']);
      expect(ran.exitCode).toBe(0);
      expect(ran.results).toEqual({ collected: 4, failing: [], passed: 4, skipped: 0, startError: undefined });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'names failing files and suites that failed to run, in the order given',
    async () => {
      const ran = await run(runner, suite, ['tests/wrong.test.js', 'tests/ok.test.js', 'tests/broken.test.js']);
      expect(ran.exitCode).toBe(1);
      expect(ran.results).toMatchObject({ failing: ['tests/wrong.test.js', 'tests/broken.test.js'], passed: 1, startError: undefined });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps the given order even after jest has cached durations',
    async () => {
      const order = ['tests/ok.test.js', 'tests/slow.test.js', 'tests/wrong.test.js'];
      await run(runner, suite, order); // fills jest's timing cache
      const resultsPath = join(scratch, 'order.json');
      const { argv } = runner.command(order, resultsPath);
      await execa(argv[0], argv.slice(1), { cwd: suite, reject: false, timeout: RUN_TIMEOUT_MS });
      const report = JSON.parse(await readFile(resultsPath, 'utf8')) as { testResults: { name: string }[] };
      expect(report.testResults.map((file) => file.name)).toEqual(order.map((test) => join(suite, test)));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reads a file that does not exist as a start error naming it',
    async () => {
      const ran = await run(runner, suite, ['tests/gone.test.js']);
      expect(ran.exitCode).toBe(1);
      expect(ran.results.startError).toBe('jest could not open tests/gone.test.js (ENOENT) — see the log');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reads a path jest does not take as a test as nothing collected',
    async () => {
      const ran = await run(runner, suite, ['package.json']);
      expect(ran.output).toContain('No tests found');
      expect(ran.exitCode).toBe(0); // --passWithNoTests, so that the report is written
      expect(ran.results.collected).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('generic preset on a real command', () => {
  it(
    'passes each test as one argument, spaces and quotes intact, without a shell',
    async () => {
      const runner = createRunner('generic', {
        projectDir: scratch,
        cmd: `node -e "process.stdout.write(JSON.stringify(process.argv.slice(1)))" {tests}`,
      });
      const { argv } = runner.command(['a b.test.js', "it's.js", '$HOME'], join(scratch, 'unused'));
      const child = await execa(argv[0], argv.slice(1), { cwd: scratch, timeout: RUN_TIMEOUT_MS });
      expect(JSON.parse(child.stdout)).toEqual(['a b.test.js', "it's.js", '$HOME']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'writes a repro line a shell runs to the same arguments',
    async () => {
      const runner = createRunner('generic', {
        projectDir: scratch,
        cmd: `node -e "console.log(JSON.stringify(process.argv.slice(1)))" {tests}`,
      });
      const line = runner.reproCommand(['tests/x.py::test_y[a b]', "it's"]);
      const child = await execa('sh', ['-c', line], { cwd: scratch, timeout: RUN_TIMEOUT_MS });
      expect(JSON.parse(child.stdout)).toEqual(['tests/x.py::test_y[a b]', "it's"]);
    },
    TEST_TIMEOUT_MS,
  );
});
