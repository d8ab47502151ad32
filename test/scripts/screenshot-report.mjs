#!/usr/bin/env node
// Saves a PNG of a report's HTML view: docs/images/report.png, what people see first in the README.
//   node test/scripts/screenshot-report.mjs                      real hunt of the bundled example → docs/images/report.png
//   node test/scripts/screenshot-report.mjs --from r.json [--baseline b.json] [--out x.png]   re-render an existing report
// Options: --out <png>, --width <px> (1280), --height <px> (900: the laptop viewport the page is
// laid out in), --viewport-only (just the first screen; by default the whole page height).
// The real hunt runs the built CLI exactly as `npm start` does, into a temporary directory.
// Needs `npm run build` first (it runs and imports dist/) and Debian's chromium (apt-get install chromium).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { screenshotFullPage } from './chromium-page.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    baseline: { type: 'string' },
    out: { type: 'string', default: join(repo, 'docs', 'images', 'report.png') },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '900' },
    'viewport-only': { type: 'boolean', default: false },
  },
});
const EXAMPLE_HUNT = ['run', 'selections/example-pytest.txt', '--batch-size', '3', '--memory', '300MB', '--timeout', '8s'];

// LEAKHUNT_DIST: another build output (e.g. one made with --outDir while dist/ is being rebuilt).
const dist = resolve(process.env.LEAKHUNT_DIST ?? join(repo, 'dist'));
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (chromium === undefined) fail("install Debian's chromium (apt-get install chromium)");
if (!existsSync(join(dist, 'reporters', 'index.js'))) fail('run `npm run build` first (this script runs and renders with dist/)');

const work = mkdtempSync(join(tmpdir(), 'leakhunt-screenshot-'));
try {
  const page = args.from === undefined ? realHunt(work) : await rerender(resolve(args.from), args.baseline, work);
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  const width = Number(args.width);
  const height = Number(args.height);
  const pageHeight = await screenshotFullPage(chromium, `file://${page}`, out, {
    width,
    height,
    maxHeight: args['viewport-only'] ? height : Infinity,
  });
  console.log(`screenshot-report: wrote ${out} (${width}×${args['viewport-only'] ? height : pageHeight})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Runs the bundled example as `npm start` does; returns the HTML page it wrote. */
function realHunt(dir) {
  const out = join(dir, 'hunt');
  console.log(`screenshot-report: hunting the bundled example (about 25 s): leakhunt ${EXAMPLE_HUNT.join(' ')}`);
  try {
    execFileSync(process.execPath, [join(dist, 'cli', 'bin.js'), ...EXAMPLE_HUNT, '--out', out], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    // Exit 1 is the example doing its job (it has culprits); anything else is a broken hunt.
    if (error.status !== 1) fail(`the example hunt exited ${error.status ?? error.signal}`);
  }
  return join(out, 'leakhunt-report.html');
}

async function rerender(reportPath, baselinePath, dir) {
  const { loadReport } = await import(join(dist, 'report', 'load.js'));
  const { compareWithBaseline } = await import(join(dist, 'report', 'baseline.js'));
  const { reporters } = await import(join(dist, 'reporters', 'index.js'));
  const report = await loadReport(reportPath);
  const baseline =
    baselinePath === undefined
      ? undefined
      : compareWithBaseline(report, await loadReport(resolve(baselinePath)), { peakRegressionRatio: 1.2 });
  const page = join(dir, 'leakhunt-report.html');
  writeFileSync(page, reporters.html(report, { color: false, width: 100, baseline }));
  return page;
}

function fail(message) {
  console.error(`screenshot-report: ${message}`);
  process.exit(3);
}
