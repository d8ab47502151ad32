// `leakhunt merge a.json b.json … -o merged.json`: one report from the shards of a CI matrix,
// and (unless --json-only) every other view beside it, as a hunt writes them.
import { dirname, resolve } from 'node:path';
import { ExitCode } from '../../errors.js';
import { loadReport } from '../../report/load.js';
import { mergeReports } from '../../report/merge.js';
import { renderJson } from '../../reporters/json.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { FlagValues, mergeFlags } from '../options.js';
import { publishReport } from '../render.js';

export type MergeFlags = FlagValues<typeof mergeFlags> & { readonly reports: readonly string[] };

export async function mergeCommand(flags: MergeFlags): Promise<ExitCode> {
  const inputs = await Promise.all(flags.reports.map(async (path) => ({ path, report: await loadReport(path) })));
  const { report, warnings } = mergeReports(inputs);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const output = resolve(flags.output);
  if (flags.jsonOnly) await writeFileAtomic(output, renderJson(report));
  // The views are named leakhunt-report.* beside -o; the JSON is also written to -o itself.
  else {
    await publishReport(report, dirname(output), { baselinePath: flags.baseline, stepSummary: flags.stepSummary });
    await writeFileAtomic(output, renderJson(report));
  }
  process.stderr.write(`merged ${inputs.length} report(s): ${report.batches.length} batches, ${report.runs.length} runs, ${report.findings.length} finding(s) → ${flags.output}\n`);
  return report.exitCode as ExitCode;
}
