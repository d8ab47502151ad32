// Appends the Markdown view to GitHub's job summary file. An edge: it touches the file system
// and reads the environment the caller passes; the caller decides whether to call it at all.
import { appendFile } from 'node:fs/promises';
import type { Report } from '../report/model.js';
import { renderMarkdown } from './markdown.js';
import type { RenderOptions } from './options.js';

/** Appends when GITHUB_STEP_SUMMARY is set; returns the file written, or undefined. */
export async function appendStepSummary(
  report: Report,
  env: Readonly<Record<string, string | undefined>>,
  options: Partial<RenderOptions> = {},
): Promise<string | undefined> {
  const path = env['GITHUB_STEP_SUMMARY'];
  if (path === undefined || path === '') return undefined;
  await appendFile(path, `${renderMarkdown(report, { color: false, width: 80, ...options })}\n`);
  return path;
}
