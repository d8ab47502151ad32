// Writing the report views to disk as a hunt does, re-rendering them from the JSON file as
// `leakhunt report` does, and appending the step summary.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadReport } from '../../src/report/load.js';
import { appendStepSummary, REPORT_FORMATS, reporters, writeReportFiles } from '../../src/reporters/index.js';
import { fixtureReport } from '../fixtures/reports/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('report files', () => {
  const hunt = fixtureReport('hunt-pytest');

  it('writes json, md, xml, html and txt atomically, leaving no temporary file', async () => {
    const outDir = join(tempDir('leakhunt-files-'), 'nested', '.leakhunt');
    const written = await writeReportFiles(hunt, outDir, { width: 80 });
    expect(written.map((w) => w.format)).toEqual(['text', 'json', 'md', 'junit', 'html']);
    expect(readdirSync(outDir).sort()).toEqual([
      'leakhunt-report.html',
      'leakhunt-report.json',
      'leakhunt-report.md',
      'leakhunt-report.txt',
      'leakhunt-report.xml',
    ]);
    expect(readFileSync(join(outDir, 'leakhunt-report.txt'), 'utf8')).not.toMatch(/\u001b\[/);
  });

  it('re-renders every format from the written JSON exactly as from the report in memory', async () => {
    const outDir = tempDir('leakhunt-rerender-');
    await writeReportFiles(hunt, outDir, { width: 80, formats: ['json'] });
    const loaded = await loadReport(join(outDir, 'leakhunt-report.json'));
    for (const format of REPORT_FORMATS) {
      const options = { color: false, width: 80 };
      expect({ format, text: reporters[format](loaded, options) }).toEqual({ format, text: reporters[format](hunt, options) });
    }
  });

  it('appends the Markdown to GITHUB_STEP_SUMMARY only when it is set', async () => {
    const summary = join(tempDir('leakhunt-summary-'), 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    expect(await appendStepSummary(hunt, {})).toBeUndefined();
    expect(await appendStepSummary(hunt, { GITHUB_STEP_SUMMARY: summary })).toBe(summary);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## leakhunt: 4 findings in 5 batches')).toBe(true);
  });
});
