// `leakhunt merge a.json b.json … -o merged.json`: one report from the shards of a CI matrix,
// and (unless --json-only) every other view beside it, as a hunt writes them.
import { basename, dirname, join, resolve } from 'node:path';
import type { ExitCode } from '../../errors.js';
import { loadReport } from '../../report/load.js';
import { mergeReports } from '../../report/merge.js';
import { REPORT_FILE_NAMES } from '../../reporters/index.js';
import { renderJson } from '../../reporters/json.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { FlagValues, mergeFlags } from '../options.js';
import { loadBaseline, publishReport } from '../render.js';
import { refuseSameFile } from '../same-file.js';

export type MergeFlags = FlagValues<typeof mergeFlags> & { readonly reports: readonly string[] };

export async function mergeCommand(flags: MergeFlags): Promise<ExitCode> {
  refuseOverwritingInputs(flags);
  const baseline = await loadBaseline(flags.baseline);
  const inputs = await Promise.all(flags.reports.map(async (path) => ({ path, report: await loadReport(path) })));
  const { report, warnings } = mergeReports(inputs);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const output = resolve(flags.output);
  if (flags.jsonOnly) await writeFileAtomic(output, renderJson(report));
  // The views are named leakhunt-report.* beside -o; the JSON is also written to -o itself.
  else {
    await publishReport(report, dirname(output), { baselinePath: baseline, stepSummary: flags.stepSummary });
    await writeFileAtomic(output, renderJson(report));
  }
  process.stderr.write(
    `merged ${inputs.length} report(s): ${report.batches.length} batches, ${report.runs.length} runs, ${report.findings.length} finding(s) → ${flags.output}\n`,
  );
  return report.exitCode as ExitCode;
}

// The merged JSON goes to -o and, unless --json-only, every view to leakhunt-report.* beside
// it: none of those may be a shard's report or the baseline, which would be lost.
function refuseOverwritingInputs(flags: MergeFlags): void {
  const output = resolve(flags.output);
  const written = flags.jsonOnly ? [output] : [output, ...Object.values(REPORT_FILE_NAMES).map((name) => join(dirname(output), name))];
  for (const input of [...flags.reports, ...(flags.baseline === undefined ? [] : [flags.baseline])]) {
    for (const target of written)
      refuseSameFile(
        input,
        target === output ? flags.output : target,
        target === output ? '-o' : `the ${basename(target)} written beside -o`,
      );
  }
}
