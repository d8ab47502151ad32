// One hunt at a time per --out: two hunts appending to the same journal and probe files
// lose both hunts' records. The lock is proper-lockfile's (an mkdir lock whose mtime the
// holder refreshes, so a lock left by a dead machine or a frozen holder goes stale), plus an
// owner file naming the holder's pid and host: a second hunt exits 2 naming it, and a lock
// whose holder on this host is dead (kill -9, OOM kill) is taken over at once instead of
// after the staleness delay.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { UsageError } from '../errors.js';

export const LOCK_DIR = '.leakhunt.lock';
export const LOCK_OWNER_FILE = '.leakhunt.lock.owner.json';
/** A holder refreshes the lock every STALE_MS / 2; a lock not refreshed for STALE_MS is taken over. */
const STALE_MS = 10_000;
/** The holder writes its owner file right after mkdir: wait this long for it before calling the pid unknown. */
const OWNER_FILE_WAIT_MS = 1000;

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface OutLock {
  /** Set when the lock was taken over from a dead holder: one line for people. */
  readonly takenOver: string | undefined;
  release(): Promise<void>;
}

/**
 * Locks outDir for this process, or throws a UsageError naming the live holder.
 * `onLost` is called if the lock is taken away (the directory was deleted or the disk froze
 * for longer than the stale delay): the hunt goes on, its reports may then mix with another's.
 */
export async function lockOutDir(outDir: string, onLost: (why: string) => void): Promise<OutLock> {
  const options = {
    lockfilePath: join(outDir, LOCK_DIR),
    realpath: false,
    stale: STALE_MS,
    retries: 0,
    onCompromised: (error: Error) => onLost(`the lock on ${outDir} was lost (${error.message}); another hunt may now write there`),
  };
  let takenOver: string | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(outDir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = await readOwner(outDir, OWNER_FILE_WAIT_MS);
    if (owner === undefined || owner.host !== hostname() || isAlive(owner.pid)) {
      throw new UsageError(
        `--out ${outDir} is in use by another leakhunt hunt (${describeOwner(owner)})`,
        'wait for it to finish, or pass another --out; a hunt that died leaves a lock the next hunt takes over',
      );
    }
    // The holder died without releasing (kill -9, OOM kill): its lock is ours to take.
    await rm(join(outDir, LOCK_DIR), { recursive: true, force: true });
    release = await lockfile.lock(outDir, options).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'ELOCKED') throw again;
      throw new UsageError(`--out ${outDir} was taken by another leakhunt hunt as this one started`, 'pass another --out');
    });
    takenOver = `--out ${outDir}: took over the lock of leakhunt pid ${owner.pid}, which is no longer running`;
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  await writeFile(join(outDir, LOCK_OWNER_FILE), `${JSON.stringify(me)}\n`);
  return {
    takenOver,
    async release() {
      await rm(join(outDir, LOCK_OWNER_FILE), { force: true });
      await release().catch(() => undefined); // already released or compromised: nothing to undo
    },
  };
}

async function readOwner(outDir: string, waitMs: number): Promise<LockOwner | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const text = await readFile(join(outDir, LOCK_OWNER_FILE), 'utf8').catch(() => undefined);
    const owner = parseOwner(text);
    if (owner !== undefined || performance.now() >= deadline) return owner;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? '') }
      : undefined;
  } catch {
    return undefined; // torn by a kill during its write
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  if (owner === undefined) return 'holder unknown';
  const where = owner.host === hostname() ? '' : ` on ${owner.host}`;
  return `pid ${owner.pid}${where}, started ${owner.startedAt}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
