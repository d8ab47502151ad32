// jest's transform cache is shared by every run of every hunt on a project
// (src/runners/jest-cache.ts): the first run fills it, the next ones only read it. Real jest
// runs of the bundled example through the CLI, with a user cache of this test's own.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO, runLeakhunt } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const PROJECT = join(REPO, 'test/examples/jest');

function selection(dir: string): string {
  const file = join(dir, 'passing.txt');
  writeFileSync(file, ['cart', 'checkout', 'receipts'].map((name) => join(PROJECT, `tests/${name}.test.js`)).join('\n'));
  return file;
}

/** Every file under dir (relative path → mtime), or an empty map when dir is absent. */
function filesWithTimes(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const info = statSync(join(dir, name));
    if (info.isFile()) found.set(name, info.mtimeMs);
  }
  return found;
}

/** The transformed files jest cached (haste maps are rewritten by design; transforms are written once). */
function transforms(cacheDir: string): Map<string, number> {
  return new Map([...filesWithTimes(cacheDir)].filter(([name]) => name.startsWith('jest-transform-cache-')));
}

function args(sel: string, extra: string[] = []): string[] {
  return ['run', sel, '--runner', 'jest', '--project', PROJECT, '--memory', '1GiB', '--timeout', '60s', ...extra];
}

describe('jest cache', () => {
  it('is one folder per project in the user cache: the first hunt fills it, the next one transforms nothing', async () => {
    const cache = tempDir('leakhunt-jest-cache-e2e-');
    const sel = selection(cache);
    const first = await runLeakhunt(args(sel), { env: { LEAKHUNT_CACHE_DIR: cache } });
    expect(first.exitCode).toBe(0);
    const projects = readdirSync(join(cache, 'jest'));
    expect(projects).toHaveLength(1);
    const jestCache = join(cache, 'jest', projects[0]!);
    const filled = transforms(jestCache);
    // The three test files and the source they require, each transformed once.
    expect(filled.size).toBeGreaterThanOrEqual(3);

    const second = await runLeakhunt(args(sel), { env: { LEAKHUNT_CACHE_DIR: cache } });
    expect(second.exitCode).toBe(0);
    expect(second.report?.runs[0]?.evidence.exitCode).toBe(0);
    expect(transforms(jestCache)).toEqual(filled);
    expect(readdirSync(join(cache, 'jest'))).toEqual(projects);
  }, 180_000);

  it('--runner-arg=--cacheDirectory still chooses the folder, and leakhunt adds none', async () => {
    const cache = tempDir('leakhunt-jest-cache-e2e-');
    const mine = join(cache, 'mine');
    const run = await runLeakhunt(args(selection(cache), [`--runner-arg=--cacheDirectory=${mine}`]), {
      env: { LEAKHUNT_CACHE_DIR: cache },
    });
    expect(run.exitCode).toBe(0);
    expect(transforms(mine).size).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(cache, 'jest'))).toBe(false);
  }, 180_000);
});
