// One hunt per --out: a second hunt into it exits 2 at once naming the holder's pid, and a
// lock left by a hunt that was kill -9'd is taken over by the next one. Real processes.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, REPO } from '../helpers/run-leakhunt.js';

const FIXTURE = join(REPO, 'test/fixtures/bin/scripted-tests.mjs');
const made: string[] = [];
const running: Array<ReturnType<typeof hunt>> = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    child.kill('SIGKILL');
    await child;
  } // a failed expectation must not leave a hunt running
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeSuite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-lock-'));
  made.push(dir);
  writeFileSync(join(dir, 'slow.json'), JSON.stringify({ sleepMs: 30_000 }));
  writeFileSync(join(dir, 'pass.json'), '{}');
  writeFileSync(join(dir, 'sel.txt'), 'slow.json\npass.json\n');
  return dir;
}

function hunt(dir: string, extra: readonly string[] = []) {
  const args = [
    CLI,
    'run',
    'sel.txt',
    '--cmd',
    `node ${FIXTURE} {tests}`,
    '--batch-size',
    '1',
    '--memory',
    '200MB',
    '--timeout',
    '60s',
    '--out',
    'out',
    '--no-step-summary',
    ...extra,
  ];
  return execa(process.execPath, args, { cwd: dir, reject: false, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, extendEnv: false });
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('--out lock', () => {
  it('refuses a second hunt into the same --out with exit 2 naming the holder, and leaves the first one alone', async () => {
    const dir = makeSuite();
    const first = hunt(dir);
    running.push(first);
    await waitFor(() => existsSync(join(dir, 'out/logs/b001.log')), 30_000, 'first batch started');
    const second = await hunt(dir);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(`in use by another leakhunt hunt (pid ${first.pid}`);
    expect(String(second.stderr).trim().split('\n')[0]).toMatch(/^leakhunt: --out \S+\/out is in use/);
    first.kill('SIGINT');
    const ended = await first;
    expect(ended.exitCode).toBe(130);
    // The first hunt's journal holds its own header only once: the refused hunt wrote nothing.
    const headers = readFileSync(join(dir, 'out/journal.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"type":"journal"'));
    expect(headers).toHaveLength(1);
    expect(existsSync(join(dir, 'out/.leakhunt.lock'))).toBe(false);
  }, 90_000);

  it("takes over the lock of a hunt that was kill -9'd, and says so", async () => {
    const dir = makeSuite();
    const first = hunt(dir);
    await waitFor(() => existsSync(join(dir, 'out/logs/b001.log')), 30_000, 'first batch started');
    first.kill('SIGKILL');
    await first;
    expect(existsSync(join(dir, 'out/.leakhunt.lock'))).toBe(true);
    writeFileSync(join(dir, 'slow.json'), '{}');
    const second = await hunt(dir, ['--resume']);
    expect(second.stderr).toContain(`took over the lock of leakhunt pid ${first.pid}, which is no longer running`);
    expect(second.exitCode).toBe(0);
  }, 90_000);
});
