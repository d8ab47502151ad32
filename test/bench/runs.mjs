// Runs to the culprit: leakhunt's bisection against the naive sweep, both really executed on
// real processes (test/bench/fixtures/suite.mjs, a 150 MiB budget, 200 MB hogs).
// leakhunt: the CLI's `run`, counted from its report (batch runs apart from bisection runs).
// Naive: what the seeds' team did with batch_size=1: every test of each failing batch run
// alone, through the same executor (same wrapper, cgroup and sampler costs per run). For a
// polluter, running tests alone finds nothing, so its sweep runs [x, victim] for every x
// before the victim, which does find it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, leakhunt, makeTestFiles, median, readJson, removeDir, round, scratchDir, seededRandom } from './lib.mjs';

const BUDGET = '150MiB';
const BUDGET_BYTES = 150 * 1024 * 1024;
const SUITE = join(FIXTURES, 'suite.mjs');

/** name, n tests, batch size, and which positions hold what. */
export function scenarios(quick) {
  const sizes = quick ? [16, 64] : [16, 64, 256];
  const list = [];
  for (const n of sizes) {
    list.push({ name: `one hog`, n, batchSize: 8, plant: { hog: [pick(n, 1)] } });
    list.push({ name: `one hog`, n, batchSize: n, plant: { hog: [pick(n, 1)] } });
  }
  list.push({ name: 'two hogs', n: 64, batchSize: 64, plant: { hog: [pick(64, 2), pick(64, 3)] } });
  list.push({ name: 'accumulator (3 MB/test)', n: 64, batchSize: 64, plant: { leak: range(64) } });
  list.push({ name: 'polluter → victim', n: 64, batchSize: 64, plant: { polluter: [12], victim: [50] } });
  return list;
}

function pick(n, seed) {
  return Math.floor(seededRandom(seed * 7919 + n)() * n);
}

function range(n) {
  return Array.from({ length: n }, (_, i) => i);
}

function testNames(scenario) {
  const width = String(scenario.n).length;
  return range(scenario.n).map((i) => {
    const role = Object.entries(scenario.plant).find(([, positions]) => positions.includes(i))?.[0];
    return `t/t${String(i + 1).padStart(width, '0')}${role === undefined ? '' : `-${role}`}.test`;
  });
}

export async function benchRuns({ quick, executorApi }) {
  const rows = [];
  for (const scenario of scenarios(quick)) {
    rows.push(await runScenario(scenario, executorApi));
    const last = rows[rows.length - 1];
    process.stderr.write(
      `  runs: ${last.scenario} n=${last.n} bs=${last.batchSize}: leakhunt ${last.leakhuntRuns} runs, naive ${last.naiveRuns}\n`,
    );
  }
  return rows;
}

async function runScenario(scenario, executorApi) {
  const dir = scratchDir('runs');
  try {
    const tests = makeTestFiles(dir, testNames(scenario));
    writeFileSync(join(dir, 'sel.txt'), `${tests.join('\n')}\n`);
    const hunt = await huntWithLeakhunt(dir, scenario);
    const naive = await naiveSweep(dir, hunt.failingBatches, scenario, executorApi);
    const planted = tests.filter((t) => /-(hog|polluter)\./.test(t)).map((t) => t.replace(/^t\//, ''));
    return {
      scenario: scenario.name,
      n: scenario.n,
      batchSize: scenario.batchSize,
      batchRuns: hunt.batchRuns,
      leakhuntRuns: hunt.bisectRuns,
      naiveRuns: naive.runs,
      log2n: Math.ceil(Math.log2(hunt.huntedTests || scenario.batchSize)),
      runsRatio: naive.runs > 0 ? round(hunt.bisectRuns / naive.runs, 2) : undefined,
      leakhuntWallMs: round(hunt.bisectWallMs),
      naiveWallMs: round(naive.wallMs),
      wallRatio: naive.wallMs > 0 ? round(hunt.bisectWallMs / naive.wallMs, 2) : undefined,
      leakhuntFound: hunt.findings,
      naiveFound: naive.found.join(' ') || 'nothing',
      leakhuntCorrect: planted.length > 0 ? planted.every((p) => hunt.findings.includes(p)) : undefined,
      stoppedBy: hunt.status,
      hostWallMs: round(hunt.cliWallMs),
    };
  } finally {
    removeDir(dir);
  }
}

async function huntWithLeakhunt(dir, scenario) {
  const result = await leakhunt(
    [
      'run',
      'sel.txt',
      '--cmd',
      `${process.execPath} ${SUITE} {tests}`,
      '--project',
      dir,
      '--batch-size',
      String(scenario.batchSize),
      '--jobs',
      '1',
      '--memory',
      BUDGET,
      '--timeout',
      '30s',
      '--out',
      join(dir, 'out'),
      '--no-step-summary',
    ],
    { cwd: dir, capture: true },
  );
  const report = readJson(join(dir, 'out', 'leakhunt-report.json'));
  const bisectRuns = report.runs.filter((r) => r.kind !== 'batch');
  const firstBisectMs = bisectRuns.length === 0 ? Date.parse(report.finishedAt) : Date.parse(bisectRuns[0].startedAt);
  const failing = report.batches.filter((b) => b.verdict !== undefined && b.verdict.outcome !== 'passed');
  const findings = report.findings.map((f) => `${f.kind}: ${describeCulprits(f.culprits ?? [])}`);
  return {
    cliWallMs: result.wallMs,
    batchRuns: report.runs.length - bisectRuns.length,
    bisectRuns: bisectRuns.length,
    bisectWallMs: Date.parse(report.finishedAt) - firstBisectMs,
    failingBatches: failing.map((b) => b.tests),
    huntedTests: median(failing.map((b) => b.tests.length)) || 0,
    findings: findings.join('; ') || 'nothing',
    status: report.status,
  };
}

function describeCulprits(tests) {
  const names = tests.map((t) => t.replace(/^t\//, ''));
  if (names.length === 0) return '—';
  return names.length <= 3 ? names.join(' + ') : `${names.length} tests (${names[0]} … ${names.at(-1)})`;
}

async function naiveSweep(dir, failingBatches, scenario, { createProcessExecutor }) {
  const executor = await createProcessExecutor({ backend: 'auto' });
  const budget = { memoryBytes: BUDGET_BYTES, timeoutMs: 30_000, graceMs: 5000 };
  const lists = failingBatches.flatMap((batch) => sweepLists(batch, scenario));
  const found = [];
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
      const died = outcome.killedBy !== undefined || outcome.kernelOomKills > 0 || outcome.signal !== undefined || outcome.exitCode !== 0;
      if (died) found.push(list[0].replace(/^t\//, ''));
    }
  } finally {
    await executor.close();
  }
  return { runs: lists.length, wallMs: performance.now() - started, found };
}

/** Each test alone; for a victim (fails in the batch, passes alone), [x, victim] for every x before it. */
function sweepLists(batch, scenario) {
  const victim = batch.find((t) => t.includes('victim'));
  if (scenario.plant.victim === undefined || victim === undefined) return batch.map((t) => [t]);
  return batch.slice(0, batch.indexOf(victim)).map((t) => [t, victim]);
}
