// Overhead: a passing batch of the bundled examples run by the raw runner and by leakhunt,
// interleaved (every variant once per round, order rotated each round), median of the rounds.
// To explain the total, the parts are measured too: node + CLI startup (`--version`), the
// executor alone (in this process, the same argv, each backend), and the per-test probe
// attached to the raw runner by hand, and leakhunt with/without --no-probe where that flag exists,
// and the runner version query `run` makes once per hunt before the first batch.
// leakhunt's user cache (the interpreter behind a pyenv shim, the runner's floor) fills in the
// first round: the median is a hunt on a machine leakhunt has run on before.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusSuite } from './corpus.mjs';
import { leakhunt, median, REPO, removeDir, round, run, scratchDir } from './lib.mjs';
import { FILES as NETWORKX_FILES } from './real-suite.mjs';

const PYTEST_DIR = join(REPO, 'test/examples/pytest');
const JEST_DIR = join(REPO, 'test/examples/jest');
const PROBE_DIR = join(REPO, 'src/probe/pytest');
const JEST_SETUP = join(REPO, 'src/probe/jest/setup.cjs');
const JEST_BIN = join(REPO, 'node_modules/jest/bin/jest.js');

const SUITES = {
  pytest: {
    dir: PYTEST_DIR,
    tests: ['tests/test_api.py', 'tests/test_pricing.py'],
    runner: 'pytest',
    raw: (tests) => ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...tests],
    version: ['python3', '-m', 'pytest', '--version'],
    direct: (argv) => [realPython(), ...argv.slice(1)],
    probe: (probeFile) => ({ argv: ['-p', 'leakhunt_probe'], env: { PYTHONPATH: PROBE_DIR, LEAKHUNT_PROBE_FILE: probeFile } }),
  },
  jest: {
    dir: JEST_DIR,
    tests: ['tests/cart.test.js', 'tests/checkout.test.js', 'tests/receipts.test.js'],
    runner: 'jest',
    raw: (tests) => [process.execPath, JEST_BIN, '--ci', '--runTestsByPath', ...tests],
    version: [process.execPath, JEST_BIN, '--version'],
    probe: (probeFile) => ({
      argv: ['--setupFilesAfterEnv', JEST_SETUP],
      env: { LEAKHUNT_PROBE_FILE: probeFile, NODE_OPTIONS: '--expose-gc' },
    }),
  },
  // A real suite's passing run: Debian's networkx, the real-suite section's 32 files (519
  // tests), fetched at bench time. Its heap is large, so a full gc.collect() costs ~50 ms:
  // after every test it made this 7.2× raw pytest (docs/benchmarks.md).
  'pytest-networkx': {
    corpus: 'python3-networkx',
    tests: NETWORKX_FILES,
    runner: 'pytest',
    timeout: '300s',
    raw: (tests) => ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...tests],
    version: ['python3', '-m', 'pytest', '--version'],
    probe: (probeFile) => ({ argv: ['-p', 'leakhunt_probe'], env: { PYTHONPATH: PROBE_DIR, LEAKHUNT_PROBE_FILE: probeFile } }),
  },
  // Many millisecond tests: where a per-test cost shows (a full GC after each test made this
  // 10–15× the raw runner; the probe now runs one only when the retained figure can move).
  'jest-200-trivial': {
    dir: join(REPO, 'test/fixtures/suites/jest-trivial'),
    tests: ['tests/trivial.test.js'],
    runner: 'jest',
    raw: (tests) => [process.execPath, JEST_BIN, '--ci', '--runTestsByPath', ...tests],
    version: [process.execPath, JEST_BIN, '--version'],
    probe: (probeFile) => ({
      argv: ['--setupFilesAfterEnv', JEST_SETUP],
      env: { LEAKHUNT_PROBE_FILE: probeFile, NODE_OPTIONS: '--expose-gc' },
    }),
  },
};

/** The raw runner with a TMPDIR of its own, removed after it. */
async function coldJest(argv, cwd, scratch) {
  const tmp = mkdtempSync(join(scratch, 'cold-tmp-'));
  try {
    return await run(argv, { cwd, env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp } });
  } finally {
    removeDir(tmp);
  }
}

// The interpreter `python3` ends in (itself when it is no shim), asked once.
let realPythonPath;
function realPython() {
  realPythonPath ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return realPythonPath;
}

// LEAKHUNT_BENCH_SUITES=jest,jest-200-trivial: only these suites (a section's run is long).
function chosenSuites() {
  const only = process.env.LEAKHUNT_BENCH_SUITES?.split(',').map((s) => s.trim());
  return Object.entries(SUITES).filter(([name]) => only === undefined || only.includes(name));
}

export async function benchOverhead({ quick, reps, executorApi }) {
  const rounds = reps ?? (quick ? 3 : 7);
  const scratch = scratchDir('overhead');
  try {
    const executors = {
      cgroup: await executorApi.createProcessExecutor({ backend: 'auto' }),
      sampler: await executorApi.createProcessExecutor({ backend: 'sampler' }),
    };
    const rows = [];
    for (const [name, suite] of chosenSuites()) {
      if (suite.corpus === undefined) {
        rows.push(...(await measureSuite(name, suite, rounds, scratch, executors)));
        continue;
      }
      const corpus = await corpusSuite(suite.corpus);
      if (corpus.skipped !== undefined) {
        process.stderr.write(`  overhead: ${name} skipped: ${corpus.skipped}\n`);
        continue;
      }
      try {
        rows.push(...(await measureSuite(name, { ...suite, dir: corpus.dir }, rounds, scratch, executors)));
      } finally {
        await corpus.remove();
      }
    }
    await Promise.all(Object.values(executors).map((e) => e.close()));
    return rows;
  } finally {
    removeDir(scratch);
  }
}

async function measureSuite(name, suite, rounds, scratch, executors) {
  // --no-probe arrived with the probes' wiring into the pipeline; measure it where it exists.
  const hasNoProbe = (await leakhunt(['run', '--help'], { capture: true })).stdout.includes('--no-probe');
  const selection = join(scratch, `${name}.txt`);
  writeFileSync(selection, `${suite.tests.map((t) => join(suite.dir, t)).join('\n')}\n`);
  const probeFile = join(scratch, `${name}-probe.jsonl`);
  const probe = suite.probe(probeFile);
  const rawArgv = suite.raw(suite.tests);
  const lhArgs = (backend, extra = []) => [
    ...extra,
    'run',
    selection,
    '--runner',
    suite.runner,
    '--project',
    suite.dir,
    '--batch-size',
    '100',
    '--memory',
    '2GiB',
    '--timeout',
    suite.timeout ?? '60s',
    '--no-bisect',
    '--backend',
    backend,
    '--out',
    join(scratch, `out-${name}`),
    '--no-step-summary',
  ];
  const withMemory = (args, memory) => args.map((arg, i) => (args[i - 1] === '--memory' ? memory : arg));
  const viaExecutor = (executor, i) => async () => {
    const started = performance.now();
    const outcome = await executor.run({
      runId: `oh-${name}-${i}`,
      argv: rawArgv,
      cwd: suite.dir,
      env: {},
      budget: {
        memoryBytes: 2 * 1024 ** 3,
        timeoutMs: suite.timeout === undefined ? 60_000 : Number.parseInt(suite.timeout, 10) * 1000,
        graceMs: 5000,
      },
      logPath: join(scratch, `oh-${name}.log`),
    });
    return { code: outcome.exitCode, wallMs: performance.now() - started };
  };
  const variants = [
    ['raw runner', () => run(rawArgv, { cwd: suite.dir })],
    ['raw runner + per-test probe', () => run([...rawArgv, ...probe.argv], { cwd: suite.dir, env: probe.env })],
    ...(suite.runner === 'jest'
      ? [
          ['raw runner + --expose-gc only', () => run(rawArgv, { cwd: suite.dir, env: { NODE_OPTIONS: '--expose-gc' } })],
          // An empty jest cache: what a project's first leakhunt run pays (src/runners/jest-cache.ts
          // keeps one per project for every later run; before, each run's private TMPDIR held an
          // empty one, so every run paid it).
          ["raw runner, fresh TMPDIR (empty jest cache: a project's first leakhunt run)", () => coldJest(rawArgv, suite.dir, scratch)],
        ]
      : []),
    // Both probes collect only when the retained figure can move; this is how they were.
    [
      'raw runner + per-test probe, full GC after every test (before)',
      () => run([...rawArgv, ...probe.argv], { cwd: suite.dir, env: { ...probe.env, LEAKHUNT_GC_EVERY_TEST: '1' } }),
    ],
    // The interpreter behind a pyenv shim started directly (what leakhunt now starts): what the
    // raw runner's `python3` pays for the shim's version selection at every start.
    ...(suite.direct === undefined
      ? []
      : [['raw runner, interpreter without its pyenv shim', () => run(suite.direct(rawArgv), { cwd: suite.dir })]]),
    ...(hasNoProbe
      ? [
          ['leakhunt run, cgroup, probes (default)', () => leakhunt(lhArgs('auto'))],
          // Below 1 GiB the runner's floor is checked before the first batch (src/execute/floor.ts).
          ['leakhunt run, cgroup, probes, --memory 300MB (floor checked)', () => leakhunt(withMemory(lhArgs('auto'), '300MB'))],
          ['leakhunt run, cgroup, --no-probe', () => leakhunt(lhArgs('auto').concat('--no-probe'))],
          ['leakhunt run, sampler, --no-probe', () => leakhunt(lhArgs('sampler').concat('--no-probe'))],
        ]
      : [
          ['leakhunt run, cgroup backend', () => leakhunt(lhArgs('auto'))],
          ['leakhunt run, sampler backend', () => leakhunt(lhArgs('sampler'))],
        ]),
    // LEAKHUNT_BENCH_BASELINE=<a built dist/ of an earlier commit, inside a checkout>: the same
    // hunt by that build, side by side (the "before" of a change).
    ...(process.env.LEAKHUNT_BENCH_BASELINE === undefined
      ? []
      : [
          [
            `leakhunt run, cgroup, probes, before (${process.env.LEAKHUNT_BENCH_BASELINE_NAME ?? 'baseline'})`,
            () => run([process.execPath, join(process.env.LEAKHUNT_BENCH_BASELINE, 'cli/bin.js'), ...lhArgs('auto')]),
          ],
          [
            `leakhunt run, cgroup, probes, --memory 300MB (floor checked), before (${process.env.LEAKHUNT_BENCH_BASELINE_NAME ?? 'baseline'})`,
            () => run([process.execPath, join(process.env.LEAKHUNT_BENCH_BASELINE, 'cli/bin.js'), ...withMemory(lhArgs('auto'), '300MB')]),
          ],
        ]),
    ['executor only (in-process), cgroup', viaExecutor(executors.cgroup, 0)],
    ['executor only (in-process), sampler', viaExecutor(executors.sampler, 1)],
    ['node + leakhunt startup (--version)', () => leakhunt(['--version'])],
    ['runner version query (no longer asked when the probe runs)', () => run(suite.version, { cwd: suite.dir })],
  ];
  const times = new Map(variants.map(([label]) => [label, []]));
  const failures = new Map(variants.map(([label]) => [label, 0]));
  for (let r = 0; r < rounds; r += 1) {
    for (let k = 0; k < variants.length; k += 1) {
      const [label, measure] = variants[(k + r) % variants.length];
      const result = await measure();
      times.get(label).push(result.wallMs);
      if (result.code !== 0) failures.set(label, failures.get(label) + 1);
    }
  }
  const rawMedian = median(times.get('raw runner'));
  process.stderr.write(`  overhead: ${name} raw median ${round(rawMedian)} ms\n`);
  return variants.map(([label]) => {
    const t = times.get(label);
    return {
      suite: name,
      variant: label,
      medianMs: round(median(t)),
      minMs: round(Math.min(...t)),
      maxMs: round(Math.max(...t)),
      ratio: round(median(t) / rawMedian, 3),
      reps: t.length,
      note: failures.get(label) > 0 ? `${failures.get(label)} run(s) exited non-zero` : undefined,
    };
  });
}
