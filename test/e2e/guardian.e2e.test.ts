// Whatever ends leakhunt, its runs do not outlive it: kill -9 of leakhunt mid-batch leaves
// no process of the hunt, no cgroup and no run temp dir a few seconds later, on every backend (the guardian);
// and when the guardian is killed too, the next hunt sweeps what was left before its first
// run, so no stale process writes into the resumed hunt's --out. Real processes, real SIGKILL.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { guardianOf, leftBehindBy, NOTHING_LEFT, waitUntil } from '../helpers/leftovers.js';
import { isAlive } from '../helpers/processes.js';
import { CLI } from '../helpers/run-leakhunt.js';

const BACKENDS: Array<[string, Record<string, string>]> = [
  ['auto (cgroup where usable)', {}],
  ['sampler', { LEAKHUNT_BACKEND: 'sampler' }],
  ['ps', { LEAKHUNT_BACKEND: 'ps' }],
];
// A batch whose test forks a child and a child in its own session.
const TEST_SCRIPT = 'sleep 60 & setsid sleep 61 & sleep 62; wait';

const made: string[] = [];
const running: Array<{ kill(signal: 'SIGKILL'): unknown } & PromiseLike<unknown>> = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    child.kill('SIGKILL');
    await child;
  }
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeSuite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-guardian-'));
  made.push(dir);
  writeFileSync(join(dir, 't.sh'), TEST_SCRIPT);
  writeFileSync(join(dir, 'a'), '');
  writeFileSync(join(dir, 'sel.txt'), 'a\n');
  return dir;
}

function hunt(dir: string, env: Record<string, string>, extra: readonly string[] = []) {
  const args = [
    CLI,
    'run',
    'sel.txt',
    '--cmd',
    `sh ${join(dir, 't.sh')} {tests}`,
    '--memory',
    '200MB',
    '--timeout',
    '60s',
    '--out',
    'out',
    '--no-step-summary',
    ...extra,
  ];
  const child = execa(process.execPath, args, {
    cwd: dir,
    reject: false,
    // The test's temp dir, so the runs' private temp dirs (leakhunt-tmp-<pid>-…) are looked for there.
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TMPDIR: tmpdir(), ...env },
    extendEnv: false,
  });
  running.push(child);
  return child;
}

/** Waits until the batch's processes run (its sleeps carry the run key), then kill -9s leakhunt. */
async function killHuntMidBatch(child: ReturnType<typeof hunt>): Promise<number> {
  const pid = child.pid!;
  expect(await waitUntil(() => leftBehindBy(pid).processes.length >= 3, 30_000)).toBe(true);
  child.kill('SIGKILL');
  await child;
  return pid;
}

describe('nothing outlives a kill -9 of leakhunt', () => {
  it.each(BACKENDS)(
    'backend %s: the batch, its children and its cgroups are gone within 5 s',
    async (_name, env) => {
      const dir = makeSuite();
      const pid = await killHuntMidBatch(hunt(dir, env));
      const gone = await waitUntil(() => {
        const left = leftBehindBy(pid);
        return left.processes.length === 0 && left.cgroups.length === 0 && left.guardian.length === 0 && left.tmpdirs.length === 0;
      }, 5000);
      expect(gone ? NOTHING_LEFT : leftBehindBy(pid)).toEqual(NOTHING_LEFT);
    },
    60_000,
  );

  // With a cgroup the leftovers are found by the group's name; with the sampler only by their run key.
  it.each(BACKENDS.slice(0, 2))(
    'backend %s: when the guardian dies too, the next hunt kills the leftovers before its first run starts',
    async (_name, env) => {
      const dir = makeSuite();
      const first = hunt(dir, env);
      const pid = first.pid!;
      expect(await waitUntil(() => guardianOf(pid).length === 1 && leftBehindBy(pid).processes.length >= 3, 30_000)).toBe(true);
      const guardianPid = Number(guardianOf(pid)[0]!.split(' ')[0]);
      process.kill(guardianPid, 'SIGKILL');
      await waitUntil(() => !isAlive(guardianPid), 5000);
      first.kill('SIGKILL');
      await first;
      // Nobody is left to clean up now, except another leakhunt starting on this machine (a
      // parallel test): its own start sweeps dead owners too, which is the behaviour under test.

      // The resumed hunt's batch counts, as it starts, the live processes of the dead hunt.
      writeFileSync(
        join(dir, 't.sh'),
        `ps -A -ww e -o args= | grep -c "LEAKHUNT_RUN_KEY=[^ ]*-${pid}-[0-9]" > "${join(dir, 'seen.txt')}"; exit 0`,
      );
      const resumed = await hunt(dir, env, ['--resume']);
      expect(resumed.exitCode).toBe(0);
      expect(readFileSync(join(dir, 'seen.txt'), 'utf8').trim()).toBe('0');
      expect(leftBehindBy(pid)).toEqual(NOTHING_LEFT);
      expect(readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8')).toContain('"status": "complete"');
    },
    60_000,
  );
});
