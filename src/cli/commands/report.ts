// `leakhunt report <json>`: re-render any view of an earlier hunt, without running anything.
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, UsageError } from '../../errors.js';
import { loadReport } from '../../report/load.js';
import { annotationRoot, reporters, shouldUseColor } from '../../reporters/index.js';
import type { FlagValues, reportFlags } from '../options.js';
import { baselineFor, consoleWidth } from '../render.js';
import { refuseSameFile } from '../same-file.js';

export type ReportFlags = FlagValues<typeof reportFlags> & { readonly report: string };

export async function reportCommand(flags: ReportFlags): Promise<ExitCode> {
  if (flags.output !== undefined) {
    refuseSameFile(flags.report, flags.output, '-o');
    if (flags.baseline !== undefined) refuseSameFile(flags.baseline, flags.output, '-o');
  }
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
  if (toFile) await writeOutput(flags.output!, text);
  else process.stdout.write(text);
  return ExitCode.Clean;
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : `cannot be written (${code ?? String(error)})`;
    throw new UsageError(`-o ${path}: ${why}`, 'name a file in an existing directory, e.g. -o report.html');
  }
}
