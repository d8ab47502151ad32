// A console that goes away (`leakhunt run … | head -1`, a closed terminal) does not stop the
// hunt from writing its reports, and the previous report stays whole until the new one
// replaces it. Real pipes, closed for real.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { CLI } from '../helpers/run-leakhunt.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeSuite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-console-'));
  made.push(dir);
  writeFileSync(join(dir, 'fail.sh'), 'echo "$@"; exit 1');
  writeFileSync(join(dir, 'a'), '');
  writeFileSync(join(dir, 'b'), '');
  writeFileSync(join(dir, 'sel.txt'), 'a\nb\n');
  return dir;
}

/** Runs a hunt whose stdout and stderr pipes the reader closes after the first chunk, like `| head -1`. */
function huntWithClosedConsole(dir: string): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'run',
      'sel.txt',
      '--cmd',
      'sh fail.sh {tests}',
      '--batch-size',
      '1',
      '--memory',
      '200MB',
      '--timeout',
      '20s',
      '--out',
      'out',
      '--no-step-summary',
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout, child.stderr]) stream.once('data', () => stream.destroy());
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('a closed console', () => {
  it('does not stop the hunt: it ends with its own exit code and writes every report', async () => {
    const dir = makeSuite();
    const exitCode = await huntWithClosedConsole(dir);
    expect(exitCode).toBe(1); // both batches failed: the hunt's verdict, not a crash (70) or a signal
    const report = JSON.parse(readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8')) as { status: string; runs: unknown[] };
    expect(report.status).toBe('complete');
    for (const file of ['leakhunt-report.txt', 'leakhunt-report.md', 'leakhunt-report.xml', 'leakhunt-report.html']) {
      expect(existsSync(join(dir, 'out', file))).toBe(true);
    }
  }, 60_000);

  it('keeps the previous report beside the new one, and in place until the new one is written', async () => {
    const dir = makeSuite();
    expect(await huntWithClosedConsole(dir)).toBe(1);
    const first = readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8');
    expect(await huntWithClosedConsole(dir)).toBe(1);
    expect(readFileSync(join(dir, 'out/leakhunt-report.previous.json'), 'utf8')).toBe(first);
    expect(readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8')).not.toBe(first);
  }, 60_000);
});
