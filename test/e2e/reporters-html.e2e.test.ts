// The HTML report in a real headless Chromium (Debian's `chromium`): the charts render as SVG
// with data points, nothing is fetched, no console error; first for the fixture hunt, then for a
// REAL hunt of the bundled pytest example, run with the built CLI exactly as `npm start` does. Without playwright, Chromium is
// driven by flags: --dump-dom for the DOM after load, --enable-logging=stderr for console
// messages and CSP violations, --screenshot for a picture under test-output/.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { compareWithBaseline } from '../../src/report/baseline.js';
import type { Report } from '../../src/report/model.js';
import { writeReportFiles } from '../../src/reporters/index.js';
import { fixtureReport, REPO_ROOT } from '../fixtures/reports/fixtures.js';
import { BROWSER, TOOLS_REQUIRED } from '../helpers/required-tools.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const CHROMIUM = BROWSER;
const OUTPUT_DIR = resolve(REPO_ROOT, 'test-output');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--enable-logging=stderr',
  '--v=0',
];

/** Console output of the page: console.* calls, uncaught errors and CSP violations all log as CONSOLE. */
function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /:CONSOLE[:(]/.test(line) || /Uncaught|Refused to/.test(line));
}

async function chromium(args: readonly string[], url: string): Promise<{ stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'leakhunt-chromium-'));
  try {
    return await run(CHROMIUM ?? 'chromium', [...FLAGS, `--user-data-dir=${profile}`, ...args, url], {
      timeout: 90_000,
      maxBuffer: 64 * 1024 ** 2,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

// Missing Chromium skips the test on a developer's machine, but fails it where .ci/run installs it.
const describeIfChromium = CHROMIUM !== undefined || TOOLS_REQUIRED ? describe : describe.skip;
if (CHROMIUM === undefined && !TOOLS_REQUIRED)
  it.skip('HTML report in a real browser: no Chromium or Chrome on this machine (apt-get install chromium)', () => undefined);

describeIfChromium('the HTML report in headless Chromium', () => {
  // Made when the tests run: a describe skipped (no Chromium) makes nothing to remove.
  let outDir = '';
  beforeAll(() => {
    outDir = tempDir('leakhunt-html-');
  });
  const hunt = fixtureReport('hunt-pytest');
  const baseline = compareWithBaseline(hunt, fixtureReport('baseline-pytest'), { peakRegressionRatio: 1.2 });

  it('renders every memory chart with its data points, and logs no console error', async () => {
    expect(CHROMIUM).toBeDefined();
    const [written] = await writeReportFiles(hunt, outDir, { width: 80, baseline, formats: ['html'] });
    const { stdout: dom, stderr } = await chromium(['--dump-dom'], `file://${written?.path ?? ''}`);
    const charts = dom.match(/<svg class="chart memory" data-points="(\d+)"/g) ?? [];
    expect(charts).toHaveLength(5);
    const pointCounts = [...dom.matchAll(/<polyline class="series" points="([^"]*)"/g)].map((m) => (m[1] ?? '').trim().split(/\s+/).length);
    expect(pointCounts).toHaveLength(5);
    for (const points of pointCounts) expect(points).toBeGreaterThan(50);
    expect(dom).toContain('<g class="kill">');
    expect(consoleLines(stderr)).toEqual([]);
  }, 120_000);

  it('would notice a fetch or a script error (the check can fail)', async () => {
    const page = join(outDir, 'broken.html');
    writeFileSync(
      page,
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<img src="http://127.0.0.1:9/x.png"><p>x</p>`,
    );
    const { stderr } = await chromium(['--dump-dom'], `file://${page}`);
    expect(consoleLines(stderr).join('\n')).toMatch(/Content Security Policy/);
  }, 120_000);

  it('saves a screenshot under test-output/', async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const png = join(OUTPUT_DIR, 'report.png');
    rmSync(png, { force: true });
    await chromium(['--window-size=1280,2400', `--screenshot=${png}`], `file://${join(outDir, 'leakhunt-report.html')}`);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  }, 120_000);
});

/** The text between `from` and the next `to` after it. */
function between(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  return start < 0 ? '' : text.slice(start, text.indexOf(to, start));
}

describeIfChromium('the HTML page of a real hunt of the bundled example, in headless Chromium', () => {
  let outDir = '';
  beforeAll(() => {
    outDir = tempDir('leakhunt-real-');
  });
  let dom = '';
  let stderr = '';
  let report: Report;

  it('runs the example hunt with the built CLI as npm start does, and Chromium loads its page', async () => {
    expect(CHROMIUM).toBeDefined();
    await run('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, timeout: 180_000 });
    const hunt = run(
      'node',
      [
        'dist/cli/bin.js',
        'run',
        'selections/example-pytest.txt',
        '--batch-size',
        '3',
        '--memory',
        '300MB',
        '--timeout',
        '8s',
        '--out',
        outDir,
      ],
      { cwd: REPO_ROOT, timeout: 240_000, maxBuffer: 16 * 1024 ** 2 },
    );
    // The example has culprits: the hunt exits 1, as it should.
    await expect(hunt).rejects.toMatchObject({ code: 1 });
    report = JSON.parse(readFileSync(join(outDir, 'leakhunt-report.json'), 'utf8')) as Report;
    ({ stdout: dom, stderr } = await chromium(['--dump-dom'], `file://${join(outDir, 'leakhunt-report.html')}`));
    expect(dom).toContain('<h2>Culprits</h2>');
  }, 420_000);

  it('charts every batch with its data points, and per-test bars for every batch whose run has probe records', () => {
    expect(report.batches.length).toBe(5);
    const charts = [...dom.matchAll(/<section class="batch" id="batch-(\d+)">[\s\S]*?<\/section>/g)];
    expect(charts.map((m) => Number(m[1]))).toEqual(report.batches.map((b) => b.index));
    for (const [section] of charts) {
      const points = /<polyline class="series" points="([^"]*)"/.exec(section)?.[1]?.trim().split(/\s+/) ?? [];
      expect(points.length).toBeGreaterThanOrEqual(2);
    }
    const runs = new Map(report.runs.map((r) => [r.runId, r]));
    const probed = report.batches.filter((b) => (runs.get(b.runId ?? '')?.perTest?.length ?? 0) > 0).map((b) => b.index);
    expect(probed.length).toBeGreaterThan(0);
    for (const [section, index] of charts) {
      const bars = /<svg class="chart per-test" data-points="(\d+)"/.exec(section);
      expect({ index: Number(index), bars: bars !== null }).toEqual({ index: Number(index), bars: probed.includes(Number(index)) });
      const own = runs.get(report.batches.find((b) => b.index === Number(index))?.runId ?? '');
      if (bars !== null) expect(Number(bars[1])).toBe(own?.perTest?.length);
    }
  });

  it('names the hog, the hang (with where it was stuck) and the accumulator (with what it kept and where) in the culprits table', () => {
    const culprits = between(dom, '<h2>Culprits</h2>', '</table>');
    const rowOf = (kind: string): string => between(culprits, `<b>${kind}</b>`, '<tr class="repro');
    expect(rowOf('hog')).toContain('test_reports.py::<wbr>test_export_full_history');
    expect(rowOf('hang')).toContain('test_sync_with_exchange');
    expect(rowOf('hang')).toMatch(/<details class="stack"><summary>stack dump when the time ran out<\/summary><pre>[\s\S]*subprocess/);
    // A file whose every test keeps memory is named as the file, with what each test kept and the line that allocates.
    expect(rowOf('accumulator')).toContain('test_metrics_export.py</code>');
    expect(rowOf('accumulator')).toMatch(/<dt>kept<\/dt><dd>~[\d.]+ MiB per contributing test/);
    expect(rowOf('accumulator')).toMatch(/<dt>allocated at<\/dt><dd class="leak-sites"><code>[^<]*metrics\.py:\d+ \+/);
    expect(dom).toContain('<h2>Processes left behind</h2>');
  });

  it('logs no console error and saves a screenshot under test-output/', async () => {
    expect(consoleLines(stderr)).toEqual([]);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const png = join(OUTPUT_DIR, 'report-real.png');
    rmSync(png, { force: true });
    await chromium(['--window-size=1280,2400', `--screenshot=${png}`], `file://${join(outDir, 'leakhunt-report.html')}`);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    rmSync(outDir, { recursive: true, force: true });
  }, 120_000);
});
