// `leakhunt doctor` through the built CLI: every line a real attempt, exit 0 when a hunt can
// run, exit 3 naming what blocks it.
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, makeOutDir, REPO } from '../helpers/run-leakhunt.js';

async function doctor(args: readonly string[] = [], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [CLI, 'doctor', ...args], {
    cwd: REPO,
    reject: false,
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    extendEnv: false,
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}
const line = (stdout: string, title: string): string => stdout.split('\n').find((l) => l.slice(2).startsWith(title)) ?? '';

describe('leakhunt doctor', () => {
  it('kills a real tree, times the sampler, asks python and node, and says a hunt can run', async () => {
    const run = await doctor(['--out', makeOutDir()]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(line(run.stdout, 'memory: ')).toMatch(/^✓ memory: (cgroup-v2|cgroup-v1|proc-sampler|ps-sampler)/);
    expect(line(run.stdout, 'kill a process tree')).toMatch(/^✓ .*sh and its 2 sleeps stopped on a 1 s time budget, none left/);
    expect(line(run.stdout, 'sampler fallback')).toMatch(/measured \d+\.\d% of one core/);
    expect(line(run.stdout, 'python + pytest')).toMatch(/^✓ .*pytest \d+\.\d+.*the per-test probe loads/);
    expect(line(run.stdout, 'jest')).toMatch(/^✓ jest +jest \d+\./);
    expect(line(run.stdout, 'vitest')).toMatch(/^✓ vitest +vitest \d+\./);
    expect(line(run.stdout, 'CI')).toMatch(/^– CI +none detected/);
    expect(run.stdout).toMatch(/A hunt can run here\.$/);
  }, 90_000);

  it('names the CI, a python without pytest, and a forced sampler with its fix', async () => {
    const run = await doctor(['--out', makeOutDir(), '--python', '/bin/sh'], { GITLAB_CI: 'true', LEAKHUNT_BACKEND: 'sampler' });
    expect(run.exitCode).toBe(0); // pytest missing only matters to pytest suites
    expect(line(run.stdout, 'memory: ')).toMatch(/^✓ memory: (proc|ps)-sampler +forced by LEAKHUNT_BACKEND=sampler/);
    expect(line(run.stdout, 'CI')).toMatch(/^✓ CI +GitLab CI \(GITLAB_CI is set\)/);
    expect(line(run.stdout, 'python + pytest')).toMatch(/^✗ python \+ pytest/);
    expect(run.stdout).toMatch(/fix: \/bin\/sh -m pip install pytest/);
  }, 90_000);

  it('exits 3 when --out cannot be written, naming it', async () => {
    const run = await doctor(['--out', '/proc/leakhunt-doctor']);
    expect(run.exitCode).toBe(3);
    expect(line(run.stdout, '--out /proc/leakhunt-doctor')).toMatch(/^✗/);
    expect(run.stdout).toMatch(/A hunt cannot run here: --out \/proc\/leakhunt-doctor\.$/);
  }, 90_000);
});
