// The HTML report in a real headless Chromium (Debian's `chromium`): the charts render as SVG
// with data points, nothing is fetched, no console error. Without playwright, Chromium is
// driven by flags: --dump-dom for the DOM after load, --enable-logging=stderr for console
// messages and CSP violations, --screenshot for a picture under test-output/.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fixtureReport, REPO_ROOT } from '../fixtures/reports/fixtures.js';
import { compareWithBaseline } from '../../src/report/baseline.js';
import { writeReportFiles } from '../../src/reporters/index.js';

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const OUTPUT_DIR = resolve(REPO_ROOT, 'test-output');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--enable-logging=stderr', '--v=0'];

/** Console output of the page: console.* calls, uncaught errors and CSP violations all log as CONSOLE. */
function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /:CONSOLE[:(]/.test(line) || /Uncaught|Refused to/.test(line));
}

async function chromium(args: readonly string[], url: string): Promise<{ stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'leakhunt-chromium-'));
  try {
    return await run(CHROMIUM ?? 'chromium', [...FLAGS, `--user-data-dir=${profile}`, ...args, url], { timeout: 90_000, maxBuffer: 64 * 1024 ** 2 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

// Missing Chromium skips the test on a developer's machine, but fails it in CI, where it must run.
const describeIfChromium = CHROMIUM !== undefined || process.env['CI'] === 'true' ? describe : describe.skip;
if (CHROMIUM === undefined) console.warn('reporters-html e2e skipped: install Debian\'s chromium (apt-get install chromium)');

describeIfChromium('the HTML report in headless Chromium', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'leakhunt-html-'));
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
    writeFileSync(page, `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<img src="http://127.0.0.1:9/x.png"><p>x</p>`);
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
