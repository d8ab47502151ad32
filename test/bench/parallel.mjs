// The trials of one bisection side by side (issue 17), on the generic runner (no per-test
// records, so every failing batch is split): a hang, where each failing trial costs a whole
// timeout and `--jobs 4` splits in 4 parts tried at once; and two hogs, whose halves run at
// once. Side by side in one run: the naive method (the failing batch again, then each test
// alone, one at a time, through the same executor), leakhunt --jobs 1 (the trials of before:
// halving, one at a time) and leakhunt --jobs 4; LEAKHUNT_BENCH_BASELINE=<an earlier dist/>
// adds that build at --jobs 4. Wall is the bisection's (the batch run is the same for all).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, leakhunt, makeTestFiles, readJson, removeDir, round, run, scratchDir } from './lib.mjs';

const SUITE = join(FIXTURES, 'suite.mjs');
const BUDGET = '150MiB';
const BUDGET_BYTES = 150 * 1024 * 1024;
const TIMEOUT_MS = 5000;

export function parallelScenarios() {
  return [
    { name: 'one hang', n: 8, plant: { hang: [5] } },
    { name: 'one hang', n: 16, plant: { hang: [10] } },
    { name: 'two hogs', n: 16, plant: { hog: [2, 12] } },
  ];
}

function modes() {
  const baseline = process.env.LEAKHUNT_BENCH_BASELINE;
  return [
    { mode: 'naive (batch again, then each test alone)', naive: true },
    { mode: 'leakhunt --jobs 1 (halving, one trial at a time)', args: ['--jobs', '1'] },
    { mode: 'leakhunt --jobs 4 (parts side by side)', args: ['--jobs', '4', '--total-memory', '2GiB'] },
    ...(baseline === undefined
      ? []
      : [
          {
            mode: `leakhunt --jobs 4, before (${process.env.LEAKHUNT_BENCH_BASELINE_NAME ?? 'baseline'})`,
            args: ['--jobs', '4', '--total-memory', '2GiB'],
            cli: join(baseline, 'cli/bin.js'),
          },
        ]),
  ];
}

function testNames(scenario) {
  return Array.from({ length: scenario.n }, (_, i) => {
    const role = Object.entries(scenario.plant).find(([, at]) => at.includes(i))?.[0];
    return `t/t${String(i + 1).padStart(2, '0')}${role === undefined ? '' : `-${role}`}.test`;
  });
}

export async function benchParallel({ executorApi }) {
  const rows = [];
  for (const scenario of parallelScenarios()) {
    const dir = scratchDir('parallel');
    try {
      const tests = makeTestFiles(dir, testNames(scenario));
      writeFileSync(join(dir, 'sel.txt'), `${tests.join('\n')}\n`);
      let naiveS;
      for (const mode of modes()) {
        const row = mode.naive ? await naive(dir, tests, executorApi) : await hunt(dir, scenario, mode);
        if (mode.naive) naiveS = row.bisectS;
        rows.push({ scenario: scenario.name, n: scenario.n, mode: mode.mode, ...row, wallRatio: round(row.bisectS / naiveS, 2) });
        process.stderr.write(
          `  parallel: ${scenario.name} n=${scenario.n}, ${mode.mode}: ${row.runs} runs, ${row.timedOut} timed out, ${row.bisectS} s\n`,
        );
      }
    } finally {
      removeDir(dir);
    }
  }
  rows.push(...(await surveyRows()));
  return rows;
}

// Survey and batch size 3 on a small pytest suite with records (12 tests of 0.5 s, hogs at 4
// and 9): the suspect alone and the tests after it side by side, against the same build at
// --jobs 1 and the baseline build. Whole CLI wall; every run counted.
const HOG_PY = '    block = bytearray(160 * 1024 * 1024)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n';
const SLOW_PY = '    import time\n    time.sleep(0.5)\n';

export async function surveyRows() {
  const dir = scratchDir('parallel-survey');
  const rows = [];
  try {
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    const ids = [];
    for (let file = 0; file < 3; file += 1) {
      const body = [];
      for (let t = 1; t <= 4; t += 1) {
        const n = file * 4 + t;
        body.push(`def test_${n}():\n${n === 4 || n === 9 ? HOG_PY : SLOW_PY}`);
        ids.push(`tests/test_part${file}.py::test_${n}`);
      }
      writeFileSync(join(dir, 'tests', `test_part${file}.py`), body.join('\n'));
    }
    writeFileSync(join(dir, 'sel.txt'), `${ids.join('\n')}\n`);
    const baseline = process.env.LEAKHUNT_BENCH_BASELINE;
    const before = `before (${process.env.LEAKHUNT_BENCH_BASELINE_NAME ?? 'baseline'})`;
    const cases = [
      { scenario: 'two hogs, pytest survey', mode: 'leakhunt survey --jobs 2', args: ['--jobs', '2'] },
      { scenario: 'two hogs, pytest survey', mode: 'leakhunt survey --jobs 1', args: ['--jobs', '1'] },
      ...(baseline === undefined
        ? []
        : [{ scenario: 'two hogs, pytest survey', mode: `leakhunt survey --jobs 2, ${before}`, args: ['--jobs', '2'], cli: baseline }]),
      { scenario: 'two hogs, pytest bs 3', mode: 'leakhunt --batch-size 3 --jobs 2', args: ['--batch-size', '3', '--jobs', '2'] },
      ...(baseline === undefined
        ? []
        : [
            {
              scenario: 'two hogs, pytest bs 3',
              mode: `leakhunt --batch-size 3 --jobs 2, ${before}`,
              args: ['--batch-size', '3', '--jobs', '2'],
              cli: baseline,
            },
          ]),
    ];
    for (const [index, c] of cases.entries()) {
      const out = join(dir, `out-${index}`);
      const args = [
        'run',
        'sel.txt',
        '--memory',
        '120MiB',
        '--timeout',
        '60s',
        '--total-memory',
        '1GiB',
        '--out',
        out,
        '--no-step-summary',
        ...c.args,
      ];
      const result =
        c.cli === undefined
          ? await leakhunt(args, { cwd: dir, capture: true })
          : await run([process.execPath, join(c.cli, 'cli/bin.js'), ...args], { cwd: dir, capture: true });
      const report = readJson(join(out, 'leakhunt-report.json'));
      const row = {
        scenario: c.scenario,
        n: 12,
        mode: c.mode,
        runs: report.runs.length,
        timedOut: 0,
        bisectS: round(result.wallMs / 1000, 1),
        found:
          report.findings
            .filter((f) => f.severity !== 'warning')
            .map((f) => `${f.kind}: ${f.culprits.map((t) => t.replace(/^tests\//, '')).join(' + ')}`)
            .join('; ') || 'nothing',
      };
      rows.push(row); // no naive row here: compare the modes of the scenario with each other
      process.stderr.write(`  parallel: ${c.scenario}, ${c.mode}: ${row.runs} runs, ${row.bisectS} s, ${row.found}\n`);
    }
  } finally {
    removeDir(dir);
  }
  return rows;
}

async function hunt(dir, scenario, mode) {
  const out = join(dir, `out-${mode.args.join('')}-${mode.cli === undefined ? 'now' : 'before'}`);
  const args = [
    'run',
    'sel.txt',
    '--cmd',
    `${process.execPath} ${SUITE} {tests}`,
    '--project',
    dir,
    '--batch-size',
    String(scenario.n),
    '--memory',
    BUDGET,
    '--timeout',
    `${TIMEOUT_MS / 1000}s`,
    '--out',
    out,
    '--no-step-summary',
    ...mode.args,
  ];
  const result =
    mode.cli === undefined
      ? await leakhunt(args, { cwd: dir, capture: true })
      : await run([process.execPath, mode.cli, ...args], { cwd: dir, capture: true });
  const report = readJson(join(out, 'leakhunt-report.json'));
  const bisection = report.runs.filter((r) => r.kind !== 'batch');
  const first = Math.min(...bisection.map((r) => Date.parse(r.startedAt)));
  return {
    runs: bisection.length,
    timedOut: bisection.filter((r) => r.verdict.outcome === 'timeout').length,
    bisectS: round((Date.parse(report.finishedAt) - first) / 1000, 1),
    cliS: round(result.wallMs / 1000, 1),
    found:
      report.findings.map((f) => `${f.kind}: ${f.culprits.map((t) => t.replace(/^t\//, '')).join(' + ') || '—'}`).join('; ') || 'nothing',
  };
}

async function naive(dir, tests, { createProcessExecutor }) {
  const executor = await createProcessExecutor({ backend: 'auto' });
  const budget = { memoryBytes: BUDGET_BYTES, timeoutMs: TIMEOUT_MS, graceMs: 2000 };
  const lists = [tests, ...tests.map((test) => [test])];
  const found = [];
  let timedOut = 0;
  const started = performance.now();
  try {
    for (const [i, list] of lists.entries()) {
      const outcome = await executor.run({
        runId: `naive-${i}`,
        argv: [process.execPath, SUITE, ...list],
        cwd: dir,
        env: {},
        budget,
        logPath: join(dir, `naive-${i}.log`),
      });
      if (outcome.killedBy === 'time-budget') timedOut += 1;
      const died = outcome.killedBy !== undefined || outcome.kernelOomKills > 0 || outcome.signal !== undefined || outcome.exitCode !== 0;
      if (died && list.length === 1) found.push(list[0].replace(/^t\//, ''));
    }
  } finally {
    await executor.close();
  }
  return {
    runs: lists.length,
    timedOut,
    bisectS: round((performance.now() - started) / 1000, 1),
    cliS: undefined,
    found: found.join(' + ') || 'nothing',
  };
}
