// The views of a report, by name. Every view is a pure function of (report, options) returning
// text; the CLI picks one for `leakhunt report --format`, and writeReportFiles writes them all
// next to the JSON after a hunt. Views never decide verdicts: they show what the report says.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../report/model.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { REPORT_FORMATS, type ReportFormat } from './formats.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html/page.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RenderOptions } from './options.js';
import { renderText } from './text.js';

export { shouldUseColor } from './color.js';
export { REPORT_FORMATS, type ReportFormat } from './formats.js';
export { annotationRoot, shouldEmitAnnotations } from './github.js';
export type { RenderOptions } from './options.js';
export { appendStepSummary } from './step-summary.js';

export type Reporter = (report: Report, options: RenderOptions) => string;

export const reporters = {
  text: renderText,
  json: (report) => renderJson(report),
  md: renderMarkdown,
  junit: renderJunit,
  github: renderGithub,
  html: renderHtml,
} satisfies Record<ReportFormat, Reporter>;

/** File names next to each other in the output directory; github annotations go to stdout only. */
export const REPORT_FILE_NAMES: Readonly<Partial<Record<ReportFormat, string>>> = {
  json: 'leakhunt-report.json',
  md: 'leakhunt-report.md',
  junit: 'leakhunt-report.xml',
  html: 'leakhunt-report.html',
  text: 'leakhunt-report.txt',
};

/**
 * Writes every file view into `outDir` (created if absent), each atomically (temporary file +
 * rename) so a reader or a kill never sees half a report. The text file is uncoloured.
 * Log paths in the report are relative to outDir, so it is also the views' reportDir.
 */
export async function writeReportFiles(
  report: Report,
  outDir: string,
  options: Omit<RenderOptions, 'color' | 'reportDir'> & { readonly formats?: readonly ReportFormat[] },
): Promise<{ format: ReportFormat; path: string }[]> {
  await mkdir(outDir, { recursive: true });
  const renderOptions: RenderOptions = { ...options, color: false, reportDir: outDir };
  const written: { format: ReportFormat; path: string }[] = [];
  for (const format of options.formats ?? REPORT_FORMATS) {
    const name = REPORT_FILE_NAMES[format];
    if (name === undefined) continue;
    const path = join(outDir, name);
    await writeFileAtomic(path, reporters[format](report, renderOptions));
    written.push({ format, path });
  }
  return written;
}
