// Shared edges of the benchmarks: the clock, child processes, temp dirs, the machine's
// description, and small statistics. Every benchmark section imports from here; nothing here
// decides what is measured.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'dist/cli/bin.js');
export const FIXTURES = join(REPO, 'test/bench/fixtures');
export const MiB = 1024 * 1024;

/** Runs argv to its end (no shell); stdout/stderr kept only when asked. Resolves {code, signal, wallMs, stdout, stderr}. */
export function run(argv, { cwd = REPO, env = {}, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', capture ? 'pipe' : 'ignore', capture ? 'pipe' : 'ignore'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, wallMs: performance.now() - started, stdout, stderr }));
  });
}

/** Runs the built CLI; its own wall time includes node startup. */
export function leakhunt(args, options = {}) {
  return run([process.execPath, CLI, ...args], options);
}

export function scratchDir(name) {
  return mkdtempSync(join(tmpdir(), `lh-bench-${name}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Creates empty files (a generic suite's tests are just names) and returns their relative paths. */
export function makeTestFiles(dir, names) {
  for (const name of names) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), '');
  }
  return names;
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value, digits = 0) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator, so scenario placements are the same every run. */
export function seededRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function describeMachine() {
  const [one, five, fifteen] = loadavg();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryGiB: round(totalmem() / 1024 ** 3, 1),
    kernel: release(),
    node: process.version,
    loadAverage: { one: round(one, 2), five: round(five, 2), fifteen: round(fifteen, 2) },
  };
}

/** Renders rows (objects) as a Markdown table with the given columns [key, title]. */
export function markdownTable(rows, columns) {
  const head = `| ${columns.map(([, title]) => title).join(' | ')} |`;
  const rule = `|${columns.map(() => '---').join('|')}|`;
  const body = rows.map((row) => `| ${columns.map(([key]) => formatCell(row[key])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function formatCell(value) {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return String(value);
}
