// Scale of the planner: parse + resolve + plan of a generated 100,000-entry selection (node
// ids across 500 files) and of one glob over 20,000 generated files. Measured twice: the whole
// CLI (`leakhunt plan … --json > /dev/null` under GNU time: wall and max RSS, node startup
// included, startup measured apart with --version; wall and CPU time), and in this process, stage by stage
// (loadSelection, resolveTests, planBatches from dist/), with the RSS growth it caused.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, leakhunt, MiB, median, REPO, removeDir, round, run, scratchDir } from './lib.mjs';

const CASES = [
  { name: '100,000 node ids (500 files)', build: buildNodeIds },
  { name: '100,000 node ids, runner and project detected', build: buildNodeIds, detect: true },
  { name: 'glob over 20,000 files', build: buildGlobTree },
  // The dedupe path: 99,000 node ids each already covered by its whole file (99,000 warnings).
  // Was a 2 s bound in src/selection/{load,dedupe}.test.ts; timing lives here, not in unit tests.
  { name: '100,000 entries, 99,000 covered by their whole file (dedupe)', build: buildCoveredNodeIds },
];

export async function benchPlanner({ quick, reps }) {
  const rounds = reps ?? (quick ? 1 : 3);
  const { loadSelection } = await import(join(REPO, 'dist/selection/load.js'));
  const { resolveTests } = await import(join(REPO, 'dist/runners/resolve.js'));
  const { planBatches } = await import(join(REPO, 'dist/plan/batches.js'));
  const startup = [];
  for (let i = 0; i < rounds; i += 1) startup.push((await leakhunt(['--version'])).wallMs);
  const rows = [];
  for (const testCase of CASES) {
    const dir = scratchDir('planner');
    try {
      const selection = testCase.build(dir);
      const cli = [];
      for (let i = 0; i < rounds; i += 1) cli.push(await timeCli(selection, dir, testCase.detect === true));
      const inProcess = await timeInProcess(selection, dir, { loadSelection, resolveTests, planBatches }, testCase.detect === true);
      rows.push({
        case: testCase.name,
        entries: inProcess.tests,
        cliWallMs: round(median(cli.map((c) => c.wallMs))),
        cliCpuMs: round(median(cli.map((c) => c.cpuMs))),
        cliMaxRssMiB: round(median(cli.map((c) => c.maxRssBytes)) / MiB, 1),
        startupMs: round(median(startup)),
        loadMs: round(inProcess.loadMs),
        planMs: round(inProcess.planMs, 1),
        heapMiB: round(inProcess.rssGrowthBytes / MiB, 1),
      });
      process.stderr.write(`  planner: ${testCase.name}: CLI ${rows.at(-1).cliWallMs} ms\n`);
    } finally {
      removeDir(dir);
    }
  }
  return rows;
}

function buildNodeIds(dir) {
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
  const lines = [];
  for (let f = 0; f < 500; f += 1) {
    writeFileSync(join(dir, 'tests', `test_m${f}.py`), '');
    for (let t = 0; t < 200; t += 1) lines.push(`tests/test_m${f}.py::test_case_${t}`);
  }
  writeFileSync(join(dir, 'sel.txt'), `# generated: 100,000 node ids\n${lines.join('\n')}\n`);
  return join(dir, 'sel.txt');
}

function buildCoveredNodeIds(dir) {
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
  const files = [];
  for (let f = 0; f < 1000; f += 1) {
    const name = `tests/test_c${f}.py`;
    writeFileSync(join(dir, name), '');
    files.push(name);
  }
  const lines = [];
  for (let t = 0; t < 99; t += 1) for (const name of files) lines.push(`${name}::TestX::test_${t}[p-1]  # note`);
  lines.push(...files);
  writeFileSync(join(dir, 'sel.txt'), `${lines.join('\n')}\n`);
  return join(dir, 'sel.txt');
}

function buildGlobTree(dir) {
  writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
  for (let d = 0; d < 200; d += 1) {
    const pkg = join(dir, 'tests', `pkg${d % 20}`, `sub${d}`);
    mkdirSync(pkg, { recursive: true });
    for (let f = 0; f < 100; f += 1) writeFileSync(join(pkg, `test_f${f}.py`), '');
  }
  writeFileSync(join(dir, 'sel.txt'), 'tests/**/test_*.py\n');
  return join(dir, 'sel.txt');
}

async function timeCli(selection, dir, detect) {
  const script = `exec /usr/bin/time -v "$@" > /dev/null`;
  const where = detect ? [] : ['--runner', 'pytest', '--project', dir];
  const result = await run(
    ['/bin/sh', '-c', script, 'plan', process.execPath, CLI, 'plan', selection, ...where, '--batch-size', '50', '--json'],
    { cwd: dir, capture: true },
  );
  if (result.code !== 0) throw new Error(`leakhunt plan failed: ${result.stderr.slice(-500)}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? NaN);
  // CPU time stretches far less than wall on a shared machine: both are reported.
  const seconds = (label) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
  return { wallMs: result.wallMs, maxRssBytes: kb * 1024, cpuMs: (seconds('User') + seconds('System')) * 1000 };
}

async function timeInProcess(selection, dir, { loadSelection, resolveTests, planBatches }, detect) {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const loaded = await loadSelection(selection, { root: undefined, allowMissing: false });
  const resolved = await resolveTests(
    loaded,
    detect ? { runner: undefined, cmd: undefined, projectDir: undefined } : { runner: 'pytest', cmd: undefined, projectDir: dir },
  );
  const t1 = performance.now();
  const plan = planBatches(resolved.tests, { batchSize: 50, batches: undefined, seed: undefined });
  const t2 = performance.now();
  const rssGrowthBytes = process.memoryUsage().rss - rssBefore;
  if (plan.batches.length === 0) throw new Error('empty plan');
  return { tests: resolved.tests.length, loadMs: t1 - t0, planMs: t2 - t1, rssGrowthBytes };
}
