import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { cacheFileName, readCached, userCacheDir, writeCached } from './user-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-user-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('userCacheDir', () => {
  it('follows LEAKHUNT_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache; off turns it off', () => {
    expect(userCacheDir({ LEAKHUNT_CACHE_DIR: '/c' })).toBe('/c');
    expect(userCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/leakhunt');
    expect(userCacheDir({})).toMatch(/\/\.cache\/leakhunt$/);
    expect(userCacheDir({ LEAKHUNT_CACHE_DIR: 'off', XDG_CACHE_HOME: '/x' })).toBeUndefined();
  });
});

describe('the user cache', () => {
  it('gives back what was written under the same key, and nothing under another', async () => {
    await writeCached('kind', { a: 1, b: [2] }, { value: 42 }, join(dir, 'made/on/demand'));
    expect(await readCached('kind', { a: 1, b: [2] }, join(dir, 'made/on/demand'))).toEqual({ value: 42 });
    expect(await readCached('kind', { a: 1, b: [3] }, join(dir, 'made/on/demand'))).toBeUndefined();
    expect(await readCached('other', { a: 1, b: [2] }, join(dir, 'made/on/demand'))).toBeUndefined();
    expect(readdirSync(join(dir, 'made/on/demand'))).toEqual([cacheFileName('kind', { a: 1, b: [2] })]);
  });

  it('reads a cut-short entry as absent, and a cache it cannot write as no cache', async () => {
    writeFileSync(join(dir, cacheFileName('kind', 'cut')), '{"value": 4');
    expect(await readCached('kind', 'cut', dir)).toBeUndefined();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await expect(writeCached('kind', 'k', 1, join(file, 'below-a-file'))).resolves.toBeUndefined();
    expect(await readCached('kind', 'k', undefined)).toBeUndefined();
  });
});
