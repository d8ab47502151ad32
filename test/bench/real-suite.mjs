// Whole hunts on a real third-party suite: Debian's packaged networkx tests (fetched at bench
// time, test/bench/corpus.mjs), 32 test files that pass here, with a hog, a hang, two hogs or
// a polluter → victim pair injected as extra test files. Side by side in one run:
//   naive      the method leakhunt replaces: the batch sweep at the user's batch size, then
//              every failing batch re-run, then each of its tests alone (sequential, through
//              the same executor, so wrappers and budgets cost the same);
//   leakhunt   `leakhunt run` at the same batch size with --jobs 1 (comparable to naive),
//              at batch size 3 with --jobs auto (the seeds' size, parallel by default), and
//              in survey mode (no --batch-size: the default), whole CLI wall each.
// Runs are every runner start of the hunt (batches included), from the report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusSuite } from './corpus.mjs';
import { leakhunt, readJson, round, run } from './lib.mjs';

const BUDGET = '300MiB';
const BUDGET_BYTES = 300 * 1024 * 1024;
const TIMEOUT = '30s';
const TIMEOUT_MS = 30_000;

// Files that pass quickly on this machine's Python 3.11 / pytest 9 (checked 2026-11-28).
export const FILES = [
  'asteroidal',
  'boundary',
  'bridges',
  'chains',
  'chordal',
  'clique',
  'cluster',
  'core',
  'covering',
  'cuts',
  'd_separation',
  'dag',
  'distance_regular',
  'dominance',
  'dominating',
  'efficiency',
  'euler',
  'hierarchy',
  'isolate',
  'link_prediction',
  'lowest_common_ancestors',
  'matching',
  'max_weight_clique',
  'mis',
  'moral',
  'non_randomness',
  'planar_drawing',
  'planarity',
  'reciprocity',
  'regular',
  'richclub',
  'smetric',
].map((name) => `networkx/algorithms/tests/test_${name}.py`);

const INJECTED = {
  hog: 'def test_builds_a_huge_cache():\n    block = bytearray(400 * 1024 * 1024)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n',
  hang: 'def test_waits_for_a_server():\n    import time\n    time.sleep(600)\n',
  polluter: 'import networkx\n\ndef test_sets_a_global():\n    networkx._leakhunt_bench_flag = True\n',
  victim: 'import networkx\n\ndef test_expects_a_clean_module():\n    assert not getattr(networkx, "_leakhunt_bench_flag", False)\n',
};

/** Where the injected files go among the 32 (0-based positions in the selection). */
export function realScenarios(quick) {
  const all = [
    { name: 'one hog', plant: [['hog', 19]] },
    { name: 'one hang', plant: [['hang', 25]] },
    {
      name: 'two hogs',
      plant: [
        ['hog', 10],
        ['hog', 14],
      ],
    },
    {
      name: 'polluter → victim',
      plant: [
        ['polluter', 17],
        ['victim', 21],
      ],
    },
  ];
  // LEAKHUNT_BENCH_SCENARIO=hang: only the scenarios whose name holds it (one side-by-side, shorter).
  const only = process.env.LEAKHUNT_BENCH_SCENARIO;
  const chosen = only === undefined ? all : all.filter((scenario) => scenario.name.includes(only));
  return quick ? chosen.slice(0, 2) : chosen;
}

// LEAKHUNT_BENCH_BASELINE=<an earlier build's dist/>: the --jobs auto modes again with that
// build, side by side ("before": e.g. without the parallel probes of one bisection).
const BASELINE = process.env.LEAKHUNT_BENCH_BASELINE;
const BEFORE = `before (${process.env.LEAKHUNT_BENCH_BASELINE_NAME ?? 'baseline'})`;
const MODES = [
  { mode: 'naive, batch size 8', naive: 8 },
  { mode: 'leakhunt --batch-size 8 --jobs 1', args: ['--batch-size', '8', '--jobs', '1'] },
  ...(BASELINE === undefined
    ? []
    : [{ mode: `leakhunt --batch-size 8 --jobs 1, ${BEFORE}`, args: ['--batch-size', '8', '--jobs', '1'], cli: BASELINE }]),
  { mode: 'naive, batch size 3', naive: 3 },
  { mode: 'leakhunt --batch-size 3 (--jobs auto)', args: ['--batch-size', '3'] },
  ...(BASELINE === undefined
    ? []
    : [{ mode: `leakhunt --batch-size 3 (--jobs auto), ${BEFORE}`, args: ['--batch-size', '3'], cli: BASELINE }]),
  { mode: 'leakhunt survey (default)', args: [] },
  ...(BASELINE === undefined ? [] : [{ mode: `leakhunt survey (default), ${BEFORE}`, args: [], cli: BASELINE }]),
];

export async function benchRealSuite({ quick, executorApi }) {
  const suite = await corpusSuite('python3-networkx');
  if (suite.skipped !== undefined) {
    process.stderr.write(`  real-suite: skipped: ${suite.skipped}\n`);
    return [{ scenario: 'skipped', mode: suite.skipped }];
  }
  const rows = [];
  try {
    for (const scenario of realScenarios(quick)) {
      const selection = inject(suite.dir, scenario);
      for (const mode of MODES) {
        const row =
          mode.naive !== undefined
            ? await naiveHunt(suite.dir, selection, mode.naive, executorApi)
            : await leakhuntHunt(suite.dir, selection, mode.args, `${scenario.name}-${rows.length}`, mode.cli);
        rows.push({ scenario: scenario.name, tests: selection.length, mode: mode.mode, ...row });
        process.stderr.write(`  real-suite: ${scenario.name}, ${mode.mode}: ${row.runs} runs, ${row.wallS} s, found ${row.found}\n`);
      }
    }
  } finally {
    await suite.remove();
  }
  return withRatios(rows);
}

/** Writes the scenario's injected files (removing the previous scenario's) and returns the selection. */
function inject(dir, scenario) {
  const selection = [...FILES];
  // Later positions first, so earlier insertions do not shift them.
  for (const [role, at] of [...scenario.plant].sort((a, b) => b[1] - a[1])) {
    const file = `networkx/algorithms/tests/test_lh_${role}_${at}.py`;
    writeFileSync(join(dir, file), INJECTED[role]);
    selection.splice(at, 0, file);
  }
  writeFileSync(join(dir, 'selection.txt'), `${selection.join('\n')}\n`);
  return selection;
}

async function leakhuntHunt(dir, _selection, args, name, baseline) {
  const out = join(dir, `.out-${name.replace(/\W+/g, '-')}`);
  const cli =
    baseline === undefined ? leakhunt : (argv, options) => run([process.execPath, join(baseline, 'cli/bin.js'), ...argv], options);
  const result = await cli(
    [
      'run',
      'selection.txt',
      '--runner',
      'pytest',
      '--project',
      dir,
      '--memory',
      BUDGET,
      '--timeout',
      TIMEOUT,
      '--grace',
      '2s',
      '--out',
      out,
      '--no-step-summary',
      ...args,
    ],
    { cwd: dir, capture: true },
  );
  const report = readJson(join(out, 'leakhunt-report.json'));
  const found = report.findings
    .filter((f) => f.severity !== 'warning')
    .map((f) => `${f.kind}: ${f.culprits.map(short).join(' + ') || '—'}${f.victim ? ` → ${short(f.victim)}` : ''}`);
  return { runs: report.runs.length, wallS: round(result.wallMs / 1000, 1), found: found.join('; ') || 'nothing', exitCode: result.code };
}

async function naiveHunt(dir, selection, batchSize, { createProcessExecutor }) {
  const executor = await createProcessExecutor({ backend: 'auto' });
  const budget = { memoryBytes: BUDGET_BYTES, timeoutMs: TIMEOUT_MS, graceMs: 2000 };
  let runs = 0;
  const runList = async (tests) => {
    runs += 1;
    const outcome = await executor.run({
      runId: `naive-${runs}`,
      argv: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', ...tests],
      cwd: dir,
      env: {},
      budget,
      logPath: join(dir, `.naive-${runs}.log`),
    });
    return outcome.killedBy !== undefined || outcome.kernelOomKills > 0 || outcome.signal !== undefined || outcome.exitCode !== 0;
  };
  const started = performance.now();
  const found = [];
  try {
    const batches = [];
    for (let i = 0; i < selection.length; i += batchSize) batches.push(selection.slice(i, i + batchSize));
    const failing = [];
    for (const batch of batches) if (await runList(batch)) failing.push(batch);
    for (const batch of failing) {
      if (!(await runList(batch))) continue; // did not fail again: flaky, nothing to sweep
      for (const test of batch) if (await runList([test])) found.push(short(test));
    }
  } finally {
    await executor.close();
  }
  return { runs, wallS: round((performance.now() - started) / 1000, 1), found: found.join(' + ') || 'nothing' };
}

function short(test) {
  return test.replace(/^networkx\/algorithms\/tests\//, '');
}

/** Each leakhunt row's runs and wall over the naive row of its scenario at the same batch size. */
function withRatios(rows) {
  return rows.map((row) => {
    const size = /batch size (\d)|--batch-size (\d)/.exec(row.mode);
    const n = size?.[1] ?? size?.[2] ?? '8'; // survey compares with naive at the user's batch size (8)
    const naive = rows.find((r) => r.scenario === row.scenario && r.mode === `naive, batch size ${n}`);
    if (naive === undefined || row.mode.startsWith('naive')) return row;
    return { ...row, runsRatio: round(row.runs / naive.runs, 2), wallRatio: round(row.wallS / naive.wallS, 2) };
  });
}
