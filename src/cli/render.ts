// After a hunt (or when re-rendering an old report): every file view beside the JSON, the
// console summary on stdout, annotations and the step summary when running in GitHub Actions.
import { relative } from 'node:path';
import { Chalk } from 'chalk';
import { compareWithBaseline } from '../report/baseline.js';
import { loadReport } from '../report/load.js';
import type { Report } from '../report/model.js';
import type { RenderOptions } from '../reporters/index.js';
import {
  annotationRoot,
  appendStepSummary,
  reporters,
  shouldEmitAnnotations,
  shouldUseColor,
  writeReportFiles,
} from '../reporters/index.js';

/** A regression is a batch whose peak grew by more than this fraction over the baseline. */
const PEAK_REGRESSION_RATIO = 0.2;

/** A baseline is read and validated before anything runs, so a bad one stops the hunt at once. */
export async function loadBaseline(baselinePath: string | undefined): Promise<Report | undefined> {
  return baselinePath === undefined ? undefined : loadReport(baselinePath);
}

export async function baselineFor(report: Report, baseline: string | Report | undefined): Promise<RenderOptions['baseline']> {
  if (baseline === undefined) return undefined;
  const earlier = typeof baseline === 'string' ? await loadReport(baseline) : baseline;
  return compareWithBaseline(report, earlier, { peakRegressionRatio: PEAK_REGRESSION_RATIO });
}

export async function publishReport(
  report: Report,
  outDir: string,
  options: { readonly baselinePath: string | Report | undefined; readonly stepSummary: boolean },
): Promise<void> {
  const env = process.env;
  const baseline = await baselineFor(report, options.baselinePath);
  const common = { width: consoleWidth(process.stdout), repoRoot: annotationRoot(env, process.cwd()), ...(baseline ? { baseline } : {}) };
  const written = await writeReportFiles(report, outDir, common);
  const color = shouldUseColor(process.stdout, env);
  process.stdout.write(reporters.text(report, { ...common, color, reportDir: outDir }));
  if (shouldEmitAnnotations(env)) process.stdout.write(reporters.github(report, { ...common, color: false, reportDir: outDir }));
  const summaryPath = options.stepSummary
    ? await appendStepSummary(report, env, { ...common, color: false, reportDir: outDir })
    : undefined;
  const chalk = new Chalk({ level: shouldUseColor(process.stderr, env) ? 2 : 0 });
  const files = written.map(({ path }) => relative(process.cwd(), path)).join(', ');
  process.stderr.write(chalk.dim(`reports: ${files}${summaryPath ? ` (+ step summary)` : ''}\n`));
}

/** The terminal's width; piped output (CI logs) is not wrapped to a made-up 80 columns. */
export function consoleWidth(stream: NodeJS.WriteStream): number {
  return stream.isTTY ? (stream.columns ?? 80) : 160;
}
