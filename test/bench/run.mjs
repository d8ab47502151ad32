#!/usr/bin/env node
// `npm run bench [-- --only runs,parallel,real-suite,overhead,accuracy,kill,planner] [--quick] [--reps N]`
// Builds nothing itself (npm run bench builds first), runs each section on real processes,
// prints Markdown tables (paste them into docs/benchmarks.md) and writes bench-results.json
// at the repo root with every figure, the machine and its load average at start and end.
// Figures are ratios and medians taken side by side in one run: the machine is shared.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAccuracy } from './accuracy.mjs';
import { benchKill } from './kill.mjs';
import { CLI, describeMachine, REPO, run } from './lib.mjs';
import { benchOverhead } from './overhead.mjs';
import { benchParallel } from './parallel.mjs';
import { benchPlanner } from './planner.mjs';
import { benchRealSuite } from './real-suite.mjs';
import { renderSection } from './render.mjs';
import { benchRuns } from './runs.mjs';

const SECTIONS = {
  runs: benchRuns,
  parallel: benchParallel,
  'real-suite': benchRealSuite,
  overhead: benchOverhead,
  accuracy: benchAccuracy,
  kill: benchKill,
  planner: benchPlanner,
};

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    out: { type: 'string', default: join(REPO, 'bench-results.json') },
  },
});
const chosen = values.only === undefined ? Object.keys(SECTIONS) : values.only.split(',').map((s) => s.trim());
const unknown = chosen.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown section(s) ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}\n`);
  process.exit(2);
}

const executorApi = await import(join(REPO, 'dist/execute/executor.js'));
const detected = await executorApi.detectMemoryBackend();
const python = (await run(['python3', '--version'], { capture: true })).stdout.trim();
const results = {
  startedAt: new Date().toISOString(),
  machine: { ...describeMachine(), python, backendDetected: detected.backend, backendReason: detected.reason },
  cli: CLI,
  sections: {},
};
const options = { quick: values.quick, reps: values.reps === undefined ? undefined : Number(values.reps), executorApi };
const started = performance.now();
for (const name of chosen) {
  process.stderr.write(`bench: ${name}…\n`);
  const sectionStarted = performance.now();
  results.sections[name] = { rows: await SECTIONS[name](options), wallS: 0 };
  results.sections[name].wallS = Math.round((performance.now() - sectionStarted) / 100) / 10;
  process.stdout.write(`\n${renderSection(name, results.sections[name].rows)}\n`);
}
results.finishedAt = new Date().toISOString();
results.totalWallS = Math.round((performance.now() - started) / 100) / 10;
results.loadAverageAtEnd = describeMachine().loadAverage;
writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
const m = results.machine;
process.stdout.write(
  `\nmachine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, ${python}; ` +
    `backend ${m.backendDetected}; load ${m.loadAverage.one}/${m.loadAverage.five}/${m.loadAverage.fifteen} at start, ` +
    `${results.loadAverageAtEnd.one}/${results.loadAverageAtEnd.five}/${results.loadAverageAtEnd.fifteen} at end; ${results.totalWallS} s\n` +
    `results: ${values.out}\n`,
);
