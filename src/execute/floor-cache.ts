// The runner's floor is a property of the runner's installation and the project's setup, not
// of the hunt: measuring it again at every hunt cost a whole extra runner start (pytest
// 0.3-1 s, jest ~1 s) before the first batch. It is kept in the user cache (util/user-cache.ts)
// under what decides it: the empty command (interpreter, runner, flags, env), the project
// directory's own files, its node_modules and the interpreter's site-packages (a plugin
// installed or removed), and the backend that measures it. A changed input is a new key; an
// entry older than MAX_AGE_MS is measured again, for what no key sees (a kernel, a libc).
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { RunnerCommand } from '../runners/types.js';
import { readCached, stamp, writeCached } from '../util/user-cache.js';

const CACHE_KIND = 'runner-floor';
/** A week: floors drift with what no key sees; one runner start a week is nothing. */
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface CachedFloor {
  readonly floorBytes: number;
  /** Epoch ms of the measurement. */
  readonly measuredAt: number;
}

/** Pure: a cached floor still usable at `nowMs`. */
export function freshFloor(entry: CachedFloor | undefined, nowMs: number): number | undefined {
  if (entry === undefined || typeof entry.floorBytes !== 'number' || entry.floorBytes <= 0) return undefined;
  const age = nowMs - entry.measuredAt;
  return age >= 0 && age < MAX_AGE_MS ? entry.floorBytes : undefined;
}

async function fileStamp(path: string): Promise<[number, number] | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? [info.mtimeMs, info.size] : null;
  } catch {
    return null;
  }
}

/**
 * Every file directly in `dir` with its stamp: a config file (pytest.ini, conftest.py,
 * package.json, jest.config.js) edited, added or removed changes the key. Files only: a
 * directory's mtime moves whenever something is written in it (an --out inside the project).
 */
async function stampsOfFiles(dir: string): Promise<Array<[string, number, number]>> {
  try {
    const entries = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile());
    const names = entries.map((entry) => entry.name).sort();
    const stamps = await Promise.all(names.map((name) => stamp(join(dir, name))));
    return names.flatMap((name, i) => (stamps[i] === null ? [] : [[name, ...stamps[i]!] as [string, number, number]]));
  } catch {
    return [];
  }
}

/** pytest's plugins live in the interpreter's site-packages: <prefix>/lib/python3.X/site-packages. */
async function sitePackagesStamps(executable: string): Promise<unknown[]> {
  try {
    const prefix = dirname(dirname(await realpath(executable)));
    const libs = (await readdir(join(prefix, 'lib'))).filter((name) => name.startsWith('python')).sort();
    return Promise.all(libs.map(async (lib) => [lib, await stamp(join(prefix, 'lib', lib, 'site-packages'))]));
  } catch {
    return [];
  }
}

export interface FloorKeyInput {
  readonly runner: string;
  /** The empty command built with a placeholder for its temporary directory, the same in every hunt. */
  readonly command: RunnerCommand;
  readonly projectDir: string;
  readonly backend: string;
}

export async function floorKey(input: FloorKeyInput): Promise<unknown> {
  // The interpreter, the runner's entry point, a setup file: replaced in place by an upgrade.
  // Files only: a directory's mtime (--rootdir's) moves with every file a run leaves in it.
  const absolute = input.command.argv.filter((arg) => isAbsolute(arg));
  return {
    runner: input.runner,
    backend: input.backend,
    command: input.command,
    projectDir: input.projectDir,
    argvStamps: await Promise.all(absolute.map(fileStamp)),
    project: await stampsOfFiles(input.projectDir),
    nodeModules: await stamp(join(input.projectDir, 'node_modules', '.package-lock.json')),
    sitePackages: await sitePackagesStamps(input.command.argv[0]),
  };
}

export async function cachedFloor(key: unknown, nowMs: number): Promise<number | undefined> {
  return freshFloor(await readCached<CachedFloor>(CACHE_KIND, key), nowMs);
}

export async function rememberFloor(key: unknown, floorBytes: number, nowMs: number): Promise<void> {
  await writeCached(CACHE_KIND, key, { floorBytes, measuredAt: nowMs } satisfies CachedFloor);
}
