// A small per-user cache of what leakhunt learns about the machine and would otherwise pay
// for again at every hunt: which interpreter a pyenv shim starts (runners/pyenv-shim.ts), the
// runner's floor (execute/floor.ts). Each entry is one JSON file named by a hash of everything
// that could change the answer; a changed input is a new key, never a stale hit.
//
// Best effort on purpose: a cache that cannot be read or written costs the measurement again,
// never a hunt. Where: $LEAKHUNT_CACHE_DIR, else $XDG_CACHE_HOME/leakhunt, else ~/.cache/leakhunt
// (the XDG rule, three lines: not worth a dependency). LEAKHUNT_CACHE_DIR=off turns it off.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/** Entries from an older layout are ignored, not misread. */
const LAYOUT = 1;

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const asked = env['LEAKHUNT_CACHE_DIR'];
  if (asked === 'off') return undefined;
  if (asked !== undefined && asked !== '') return asked;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'leakhunt');
}

/** Pure: the file name of an entry, from its kind and the inputs that decide its value. */
export function cacheFileName(kind: string, key: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([LAYOUT, kind, key]))
    .digest('hex');
  return `${kind}-${digest.slice(0, 32)}.json`;
}

export async function readCached<T>(kind: string, key: unknown, dir = userCacheDir()): Promise<T | undefined> {
  if (dir === undefined) return undefined;
  try {
    return JSON.parse(await readFile(join(dir, cacheFileName(kind, key)), 'utf8')) as T;
  } catch {
    return undefined; // absent, unreadable or cut short: measure again
  }
}

export async function writeCached(kind: string, key: unknown, value: unknown, dir = userCacheDir()): Promise<void> {
  if (dir === undefined) return;
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, cacheFileName(kind, key)), `${JSON.stringify(value)}\n`);
  } catch {
    // read-only home, full disk: the next hunt measures again
  }
}

/** A path's mtime and size, or null when absent: what a key holds to notice an edit, an install, a `pyenv local`. */
export async function stamp(path: string): Promise<[number, number] | null> {
  try {
    const info = await stat(path);
    return [info.mtimeMs, info.size];
  } catch {
    return null;
  }
}
