#!/usr/bin/env node
// Renders a report's HTML view and saves a PNG of it, for docs/images/report.png and for
// looking at a real hunt: node test/scripts/screenshot-report.mjs [report.json] [out.png] [baseline.json]
// Defaults: the hand-made fixture hunt, compared with its baseline, to docs/images/report.png.
// Needs `npm run build` first (it imports dist/) and Debian's chromium (apt-get install chromium).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'reports');
const [reportPath = join(fixtures, 'hunt-pytest.json'), outPath = join(repo, 'docs', 'images', 'report.png'),
  baselinePath = process.argv[2] === undefined ? join(fixtures, 'baseline-pytest.json') : undefined] = process.argv.slice(2);

// LEAKHUNT_DIST: another build output (e.g. one made with --outDir while dist/ is being rebuilt).
const dist = resolve(process.env.LEAKHUNT_DIST ?? join(repo, 'dist'));
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (chromium === undefined) {
  console.error("screenshot-report: install Debian's chromium (apt-get install chromium)");
  process.exit(3);
}
if (!existsSync(join(dist, 'reporters', 'index.js'))) {
  console.error('screenshot-report: run `npm run build` first (this script renders with dist/)');
  process.exit(3);
}

const { loadReport } = await import(join(dist, 'report', 'load.js'));
const { compareWithBaseline } = await import(join(dist, 'report', 'baseline.js'));
const { reporters } = await import(join(dist, 'reporters', 'index.js'));

const report = await loadReport(reportPath);
const baseline = baselinePath === undefined ? undefined
  : compareWithBaseline(report, await loadReport(baselinePath), { peakRegressionRatio: 1.2 });
const work = mkdtempSync(join(tmpdir(), 'leakhunt-screenshot-'));
try {
  const page = join(work, 'leakhunt-report.html');
  writeFileSync(page, reporters.html(report, { color: false, width: 100, baseline }));
  mkdirSync(dirname(resolve(outPath)), { recursive: true });
  execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    `--user-data-dir=${join(work, 'profile')}`, '--window-size=1280,1900', `--screenshot=${resolve(outPath)}`, `file://${page}`],
  { stdio: ['ignore', 'ignore', 'ignore'], timeout: 90_000 });
  console.log(`screenshot-report: wrote ${outPath}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
