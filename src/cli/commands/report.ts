// `leakhunt report <json>`: re-render any view of an earlier hunt, without running anything.
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode } from '../../errors.js';
import { loadReport } from '../../report/load.js';
import { annotationRoot, reporters, shouldUseColor } from '../../reporters/index.js';
import type { FlagValues, reportFlags } from '../options.js';
import { baselineFor, consoleWidth } from '../render.js';

export type ReportFlags = FlagValues<typeof reportFlags> & { readonly report: string };

export async function reportCommand(flags: ReportFlags): Promise<ExitCode> {
  const report = await loadReport(flags.report);
  const baseline = await baselineFor(report, flags.baseline);
  const toFile = flags.output !== undefined;
  const text = reporters[flags.format](report, {
    color: !toFile && flags.format === 'text' && shouldUseColor(process.stdout, process.env),
    width: consoleWidth(process.stdout),
    reportDir: dirname(flags.report),
    repoRoot: annotationRoot(process.env, process.cwd()),
    ...(baseline ? { baseline } : {}),
  });
  if (toFile) await writeFile(flags.output!, text);
  else process.stdout.write(text);
  return ExitCode.Clean;
}
