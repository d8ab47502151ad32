// --resume after kill -9: no finished run is executed again, and the hunt ends with the
// findings an uninterrupted hunt finds. Real processes: a hog, slow tests, a real SIGKILL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import type { Report } from '../../src/report/model.js';
import { CLI, REPO } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURE = join(REPO, 'test/fixtures/bin/scripted-tests.mjs');

/** hog-a dies over budget together with anything; slow-b makes each of its runs ~1.5 s. */
function makeSuite(): { dir: string; counter: string } {
  const dir = tempDir('leakhunt-resume-');
  const tests: Record<string, object> = {
    'slow-b.json': { sleepMs: 1500 },
    'hog-a.json': { allocMB: 250 },
    'pass-c.json': {},
    'pass-d.json': {},
    'slow-e.json': { sleepMs: 1500 },
  };
  for (const [name, script] of Object.entries(tests)) writeFileSync(join(dir, name), JSON.stringify(script));
  writeFileSync(join(dir, 'sel.txt'), `${Object.keys(tests).join('\n')}\n`);
  return { dir, counter: join(dir, 'count.txt') };
}

function hunt(dir: string, out: string, counter: string, extra: readonly string[] = []) {
  const args = [
    CLI,
    'run',
    'sel.txt',
    '--cmd',
    `node ${FIXTURE} {tests}`,
    '--batch-size',
    '2',
    '--memory',
    '150MB',
    '--timeout',
    '20s',
    '--out',
    out,
    '--no-step-summary',
    ...extra,
  ];
  return execa(process.execPath, args, {
    cwd: dir,
    reject: false,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SCRIPTED_TESTS_COUNTER: counter },
    extendEnv: false,
  });
}

function journalRunIds(out: string): string[] {
  return readFileSync(join(out, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"run"'))
    .map((line) => (JSON.parse(line) as { runId: string }).runId);
}

async function waitForJournalRuns(out: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (journalRunIds(out).length >= count) return;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`journal in ${out} did not reach ${count} runs within ${timeoutMs} ms`);
}

const findingsOf = (report: Report) =>
  report.findings.map((finding) => ({ kind: finding.kind, culprits: finding.culprits, batchIndex: finding.batchIndex }));

describe('leakhunt run --resume', () => {
  it('runs no finished run again after kill -9, and ends with the findings of an uninterrupted hunt', async () => {
    const reference = makeSuite();
    const uninterrupted = await hunt(reference.dir, join(reference.dir, 'out'), reference.counter);
    expect(uninterrupted.exitCode).toBe(1);
    const expected = JSON.parse(readFileSync(join(reference.dir, 'out/leakhunt-report.json'), 'utf8')) as Report;

    const { dir, counter } = makeSuite();
    const out = join(dir, 'out');
    const first = hunt(dir, out, counter);
    await waitForJournalRuns(out, 3, 60_000);
    first.kill('SIGKILL');
    expect((await first).signal).toBe('SIGKILL');
    const finishedBeforeKill = journalRunIds(out);

    const resumed = await hunt(dir, out, counter, ['--resume']);
    expect(resumed.stderr).toMatch(/--resume: \d+ finished run\(s\) taken from the journal/);
    const skipped = Number(/--resume: (\d+) finished run/.exec(resumed.stderr)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(finishedBeforeKill.length);

    // Every run the journal held before the kill started exactly once, over both hunts.
    const executions = readFileSync(counter, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    for (const runId of finishedBeforeKill) expect(executions.filter((id) => id === runId)).toHaveLength(1);

    const report = JSON.parse(readFileSync(join(out, 'leakhunt-report.json'), 'utf8')) as Report;
    expect(report.status).toBe('complete');
    expect(findingsOf(report)).toEqual(findingsOf(expected));
    expect(findingsOf(report)).toContainEqual({ kind: 'hog', culprits: ['hog-a.json'], batchIndex: 1 });
  }, 180_000);
});
