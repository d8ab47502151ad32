// Each run gets a private temp dir (TMPDIR, TMP and TEMP point at it) that is removed once the
// run's tree is dead, as Bazel gives each test its TEST_TMPDIR. Runners clean their temp files
// on a normal exit only: vitest leaves its <tmpdir>/<nanoid> folder behind when a budget kills
// it, pytest keeps `pytest-of-<user>` between sessions. Inside the run's own dir, everything a
// killed or hanging batch wrote there goes with it, and the user's temp dir stays as it was.
//
// The dir is named after the leakhunt process that owns it (leakhunt-tmp-<pid>-XXXXXX), so the
// guardian and the next leakhunt can remove what an owner killed with -9 left (leftovers.ts).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'leakhunt-tmp-';
const OWNED_DIR = /^leakhunt-tmp-(\d+)-/;

/** The variables runners read for their temp dir: TMPDIR on POSIX (Python, Node), TMP/TEMP elsewhere. */
export function tmpdirEnv(dir: string): Record<string, string> {
  return { TMPDIR: dir, TMP: dir, TEMP: dir };
}

export async function createRunTmpdir(owner: number = process.pid): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${owner}-`));
}

/** Removes a run's temp dir; a failure (a file the run made read-only, a busy mount) is not the run's verdict. */
export async function removeRunTmpdir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
}

export function ownerOfTmpdirName(name: string): number | undefined {
  const owner = OWNED_DIR.exec(name)?.[1];
  return owner === undefined ? undefined : Number(owner);
}

/** Owners of run temp dirs in the system temp dir (live or not). */
export async function tmpdirOwners(): Promise<Set<number>> {
  const owners = new Set<number>();
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const owner = ownerOfTmpdirName(name);
    if (owner !== undefined) owners.add(owner);
  }
  return owners;
}

/** Removes every run temp dir of `owner` (called once the owner is dead, by its guardian or a later leakhunt). */
export async function removeOwnerTmpdirs(owner: number): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    if (ownerOfTmpdirName(name) !== owner) continue;
    await removeRunTmpdir(join(tmpdir(), name));
    removed += 1;
  }
  return removed;
}
