// Turns each section's rows into the Markdown table docs/benchmarks.md shows. Presentation
// only: every number comes from the section that measured it.
import { markdownTable } from './lib.mjs';

const COLUMNS = {
  runs: [
    ['scenario', 'scenario'],
    ['n', 'n'],
    ['batchSize', 'batch size'],
    ['batchRuns', 'batch runs'],
    ['leakhuntRuns', 'leakhunt runs'],
    ['naiveRuns', 'naive runs'],
    ['log2n', '⌈log2 batch⌉'],
    ['runsRatio', 'runs ratio'],
    ['leakhuntWallMs', 'leakhunt ms'],
    ['naiveWallMs', 'naive ms'],
    ['wallRatio', 'wall ratio'],
    ['leakhuntFound', 'leakhunt found'],
    ['naiveFound', 'naive found'],
  ],
  overhead: [
    ['suite', 'suite'],
    ['variant', 'variant'],
    ['medianMs', 'median ms'],
    ['minMs', 'min ms'],
    ['maxMs', 'max ms'],
    ['ratio', '× raw'],
    ['reps', 'runs'],
    ['note', 'note'],
  ],
  accuracy: [
    ['backend', 'backend'],
    ['allocMb', 'alloc MB'],
    ['procs', 'procs'],
    ['leakhuntMiB', 'leakhunt MiB'],
    ['samplerMiB', 'sampler part MiB'],
    ['cgroupRefMiB', 'ref cgroup MiB'],
    ['gnuTimeMiB', 'GNU time MiB'],
    ['errVsCgroupPct', 'err vs cgroup %'],
    ['errVsTimePct', 'err vs time %'],
  ],
  kill: [
    ['backend', 'backend'],
    ['intervalMs', 'interval ms'],
    ['medianMs', 'median ms (from the enforced measure crossing)'],
    ['p90Ms', 'max ms'],
    ['medianFromRssSumMs', 'median ms from the RSS-sum crossing'],
    ['medianExitMs', 'root exit ms'],
    ['overshootMiB', 'peak over budget MiB'],
    ['outcomes', 'killed by'],
    ['reps', 'runs'],
  ],
  parallel: [
    ['scenario', 'scenario'],
    ['n', 'batch size'],
    ['mode', 'mode'],
    ['runs', 'bisection runs'],
    ['timedOut', 'timed out'],
    ['bisectS', 'bisection wall s'],
    ['wallRatio', 'wall / naive'],
    ['found', 'found'],
  ],
  'real-suite': [
    ['scenario', 'scenario'],
    ['tests', 'test files'],
    ['mode', 'mode'],
    ['runs', 'runs'],
    ['wallS', 'wall s'],
    ['runsRatio', 'runs / naive'],
    ['wallRatio', 'wall / naive'],
    ['found', 'found'],
  ],
  planner: [
    ['case', 'case'],
    ['entries', 'tests'],
    ['cliWallMs', 'CLI wall ms'],
    ['cliCpuMs', 'CLI CPU ms (user+sys)'],
    ['cliMaxRssMiB', 'CLI max RSS MiB'],
    ['startupMs', 'node+CLI startup ms'],
    ['loadMs', 'in-process load ms'],
    ['planMs', 'plan ms'],
    ['heapMiB', 'in-process RSS growth MiB'],
  ],
};

export function renderSection(name, rows) {
  return `### ${name}\n\n${markdownTable(rows, COLUMNS[name])}`;
}
