// What only a memory cgroup can show: kernel OOM kills of one process inside a tree that
// lives on, page cache that fills the limit without being an over-memory, membership of
// processes that cleared their environment, and groups removed after each run.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createProcessExecutor, detectMemoryBackend, type RunningExecutor } from '../../src/execute/executor.js';
import { fixture, livingProcessesOfRun, livingProcessesWith, makeSpec, readLog, uniqueToken } from './executor-support.js';

jest.setTimeout(30_000);

const detected = await detectMemoryBackend();
const describeWithCgroup = detected.backend === 'proc-sampler' ? describe.skip : describe;
if (detected.backend === 'proc-sampler') {
  it.skip(`cgroup tests: no memory cgroup on this machine (${detected.reason})`, () => undefined);
}

describeWithCgroup('the executor with a memory cgroup', () => {
  let executor: RunningExecutor;
  beforeAll(async () => {
    executor = await createProcessExecutor({ backend: 'cgroup' });
  });
  afterAll(async () => {
    await executor.close();
  });

  it('counts a child OOM-killed by the kernel as the memory budget although the parent exits 0', async () => {
    const spec = makeSpec(['python3', fixture('child-oom.py'), '400']);
    const outcome = await executor.run(spec);

    expect(outcome.kernelOomKills).toBeGreaterThanOrEqual(1);
    expect(outcome.killedBy).toBe('memory-budget');
    expect(livingProcessesOfRun(spec.runId)).toEqual([]);
  });

  it('kills the rest of the tree as soon as the kernel OOM-kills one of its processes', async () => {
    const spec = makeSpec(['python3', fixture('child-oom.py'), '400', '20']); // parent would linger 20 s
    const outcome = await executor.run(spec);

    expect(outcome.kernelOomKills).toBeGreaterThanOrEqual(1);
    expect(outcome.killedBy).toBe('memory-budget');
    expect(outcome.signal).toBe('SIGKILL');
    // Without our kill the parent would have lived 20 s more; it may die before printing anything.
    expect(outcome.durationMs).toBeLessThan(5000);
    expect(livingProcessesOfRun(spec.runId)).toEqual([]);
  });

  it('does not take page cache filling the limit for an over-memory', async () => {
    const path = join(tmpdir(), `leakhunt-e2e-cache-${process.pid}.bin`);
    const spec = makeSpec(['python3', fixture('file-writer.py'), path, '400']);
    const outcome = await executor.run(spec).finally(() => rmSync(path, { force: true }));

    expect(readLog(spec)).toContain('wrote 400 MiB');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.peakBytes).toBeGreaterThan(0.9 * spec.budget.memoryBytes); // the cache did fill the limit
    expect(outcome.kernelOomKills).toBe(0);
    expect(outcome.killedBy).toBeUndefined();
  });

  it("gives Node's heap the whole budget (under the cgroup Node would take about half), and keeps a heap size the user chose", async () => {
    const heapLimit = "console.log('heap limit MiB', Math.round(require('v8').getHeapStatistics().heap_size_limit / 1048576))";
    const budget = { memoryBytes: 700 * 1024 * 1024, timeoutMs: 20_000, graceMs: 1000 };
    const given = makeSpec([process.execPath, '-e', heapLimit], { budget });
    await executor.run(given);
    // Without it: 346 MiB under this 700 MiB budget (Node 20), so a suite needing more aborted far below the budget.
    expect(Number(/heap limit MiB (\d+)/.exec(readLog(given))?.[1])).toBeGreaterThanOrEqual(700);

    const chosen = makeSpec([process.execPath, '-e', heapLimit], { budget, env: { NODE_OPTIONS: '--max-old-space-size=100' } });
    await executor.run(chosen);
    expect(Number(/heap limit MiB (\d+)/.exec(readLog(chosen))?.[1])).toBeLessThan(200);
  });

  it('finds an escapee that cleared its environment through the cgroup', async () => {
    const token = uniqueToken();
    const spec = makeSpec(['sh', '-c', `(env -i /usr/bin/setsid sleep ${token} &); sleep 0.3; exit 0`]);
    const outcome = await executor.run(spec);

    // Caught as `sleep TOKEN`, or still as `setsid …`/the forked `sh -c …` if found before its exec: either way, by the cgroup.
    expect(outcome.orphans.map((orphan) => orphan.command).join(' | ')).toContain(token);
    expect(livingProcessesWith(token)).toEqual([]);
  });

  it('runs the tree inside a fresh group and removes it after the run', async () => {
    const spec = makeSpec(['cat', '/proc/self/cgroup']);
    await executor.run(spec);
    const groupName = `lh${process.pid}_${spec.runId}`;
    expect(readLog(spec)).toMatch(new RegExp(`memory:/leakhunt/${groupName}$`, 'm'));
    for (const root of ['/sys/fs/cgroup/memory/leakhunt', '/sys/fs/cgroup/unified/leakhunt', '/sys/fs/cgroup/leakhunt']) {
      const entries = existsSync(root) ? readdirSync(root) : [];
      expect(entries.filter((entry) => entry.startsWith(groupName))).toEqual([]);
    }
  });

  it("removes the empty groups of a leakhunt that is gone, and keeps a live one's", async () => {
    const root = '/sys/fs/cgroup/memory/leakhunt';
    // A pid that surely belongs to no process any more: a child that has exited and been reaped.
    const deadPid = execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"'], { encoding: 'utf8' }).trim();
    const stale = join(root, `lh${deadPid}_b001-p01`);
    const live = join(root, `lh${process.pid}_kept-by-a-live-owner`);
    mkdirSync(stale);
    mkdirSync(live);
    try {
      const fresh = await createProcessExecutor({ backend: 'cgroup' });
      await fresh.close();
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      for (const dir of [stale, live]) if (existsSync(dir)) rmdirSync(dir);
    }
  });
});
