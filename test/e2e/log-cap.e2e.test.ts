// Two tests printing 40 MB each: the logs stay within --log-limit (head and tail kept, a marker
// between), and every report view says which logs were cut and by how much.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type LeakhuntRun, makeOutDir, REPO, runLeakhunt } from '../helpers/run-leakhunt.js';

const MiB = 1024 ** 2;
const CHATTER = join(REPO, 'test/fixtures/bin/chatter.py');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function floodHunt(extra: readonly string[], batchSize = 1): Promise<LeakhuntRun> {
  const dir = makeOutDir();
  dirs.push(dir);
  writeFileSync(join(dir, 'a.txt'), '');
  writeFileSync(join(dir, 'b.txt'), '');
  writeFileSync(join(dir, 'sel.txt'), 'a.txt\nb.txt\n');
  // chatter.py flood 40: 40 MiB of 1 KiB lines on stdout; the test ids after it are ignored.
  return runLeakhunt(
    [
      'run',
      join(dir, 'sel.txt'),
      '--cmd',
      `python3 ${CHATTER} flood 40 {tests}`,
      '--batch-size',
      String(batchSize),
      '--memory',
      '200MB',
      '--timeout',
      '60s',
      '--out',
      join(dir, 'out'),
      ...extra,
    ],
    { timeoutMs: 120_000 },
  );
}

function logSizes(outDir: string): number[] {
  return readdirSync(join(outDir, 'logs')).map((name) => statSync(join(outDir, 'logs', name)).size);
}

describe('run logs are capped', () => {
  it('keeps each 40 MiB log within the default 4 MiB, head and tail around a marker, and every view says so', async () => {
    const run = await floodHunt([]);
    expect(run.exitCode).toBe(0);
    const sizes = logSizes(run.outDir);
    expect(sizes).toHaveLength(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(4 * MiB + 300);
    const log = readFileSync(join(run.outDir, 'logs', readdirSync(join(run.outDir, 'logs'))[0]!), 'utf8');
    expect(log.startsWith(`${'x'.repeat(1023)}\n`)).toBe(true);
    expect(log.endsWith(`${'x'.repeat(1023)}\n`)).toBe(true);
    expect(
      log.match(
        /\n\[leakhunt: 36\.0 MiB of output cut here \(--log-limit 4\.0 MiB: the first 1\.0 MiB and the last 3\.0 MiB are kept\)\]\n/g,
      ),
    ).toHaveLength(1);
    expect(run.report?.runs.map((r) => r.logCutBytes)).toEqual([36 * MiB, 36 * MiB]);
    const cutLine = /logs cut to --log-limit \(head and tail kept\): b001 \(36\.0 MiB cut\), b002 \(36\.0 MiB cut\)/;
    expect(run.stdout).toMatch(cutLine);
    expect(readFileSync(join(run.outDir, 'leakhunt-report.md'), 'utf8')).toMatch(cutLine);
    expect(readFileSync(join(run.outDir, 'leakhunt-report.html'), 'utf8')).toMatch(/36\.0 MiB cut from its middle by --log-limit/);
  }, 150_000);

  it('takes --log-limit: 1 MiB logs, and a limit above the output keeps the log whole', async () => {
    const small = await floodHunt(['--log-limit', '1MiB']);
    for (const size of logSizes(small.outDir)) expect(size).toBeLessThanOrEqual(MiB + 300);
    // 40 MiB is past 16 limits of 1 MiB: usually cut while the run wrote (the count is then a lower
    // bound, "at least"); a flood that ends before the watcher's next look is cut once at the end, exactly.
    for (const run of small.report?.runs ?? []) {
      expect(run.logCutBytes).toBeGreaterThan(30 * MiB);
      expect(run.logCutBytes).toBeLessThanOrEqual(39 * MiB);
      expect(readFileSync(join(small.outDir, run.logPath), 'utf8')).toMatch(
        /\n\[leakhunt: (at least )?[\d.]+ MiB of output cut here \(--log-limit 1\.0 MiB/,
      );
    }
    const whole = await floodHunt(['--log-limit', '64MiB'], 2);
    expect(logSizes(whole.outDir)).toEqual([40 * MiB]);
    expect(whole.report?.runs[0]?.logCutBytes).toBeUndefined();
    expect(whole.stdout).not.toMatch(/logs cut/);
  }, 150_000);
});
