// Where the jest preset puts jest's cache: one folder per project under leakhunt's user
// cache, unless the user chose one. Real files in temp dirs (the decision reads the config).
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { createRunner } from './index.js';
import { sharedJestCacheDir } from './jest-cache.js';

const examples = new URL('../../test/examples/', import.meta.url).pathname;

function project(files: Record<string, string>): string {
  const dir = tempDir('leakhunt-jest-cache-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('sharedJestCacheDir', () => {
  it('gives one folder per project under the user cache, the same by any path to the project', () => {
    const a = project({ 'package.json': '{"jest":{"testEnvironment":"node"}}' });
    const b = project({ 'package.json': '{}' });
    const link = join(tempDir('leakhunt-jest-cache-link-'), 'a');
    symlinkSync(a, link);
    const dirA = sharedJestCacheDir(a, [], '/cache');
    expect(dirA).toMatch(/^\/cache\/jest\/[0-9a-f]{16}$/);
    expect(sharedJestCacheDir(link, [], '/cache')).toBe(dirA);
    expect(sharedJestCacheDir(`${a}/`, [], '/cache')).toBe(dirA);
    expect(sharedJestCacheDir(b, [], '/cache')).not.toBe(dirA);
  });

  it("is absolute even for a relative cache root: jest would read it from the project's directory", () => {
    const a = project({ 'package.json': '{}' });
    expect(sharedJestCacheDir(a, [], 'rel/cache')).toBe(
      join(process.cwd(), 'rel/cache', 'jest', basename(sharedJestCacheDir(a, [], '/c')!)),
    );
  });

  it("stays out when there is no user cache or the user names jest's cacheDirectory anywhere", () => {
    const plain = project({ 'package.json': '{}' });
    expect(sharedJestCacheDir(plain, [], undefined)).toBeUndefined();
    expect(sharedJestCacheDir(plain, ['--cacheDirectory=/mine'], '/cache')).toBeUndefined();
    expect(sharedJestCacheDir(plain, ['--cacheDirectory', '/mine'], '/cache')).toBeUndefined();
    expect(sharedJestCacheDir(project({ 'package.json': '{"jest":{"cacheDirectory":"/x"}}' }), [], '/cache')).toBeUndefined();
    expect(sharedJestCacheDir(project({ 'jest.config.js': 'module.exports = { cacheDirectory: ".jc" };' }), [], '/cache')).toBeUndefined();
    const withConfigArg = project({ 'package.json': '{}' });
    mkdirSync(join(withConfigArg, 'cfg'));
    writeFileSync(join(withConfigArg, 'cfg/jest.ci.js'), 'module.exports = { cacheDirectory: "/ci" };');
    expect(sharedJestCacheDir(withConfigArg, ['--config', 'cfg/jest.ci.js'], '/cache')).toBeUndefined();
    expect(sharedJestCacheDir(withConfigArg, ['--config=cfg/jest.ci.js'], '/cache')).toBeUndefined();
    // A config file that says nothing about the cache: ours.
    expect(sharedJestCacheDir(project({ 'jest.config.js': 'module.exports = {};' }), [], '/cache')).toMatch(/^\/cache\/jest\//);
  });
});

describe('jest preset with a user cache', () => {
  const projectDir = join(examples, 'jest');

  it('passes the shared cache to every batch and to the floor run, never to repro lines', () => {
    const cacheRoot = tempDir('leakhunt-jest-cache-root-');
    const runner = createRunner('jest', { projectDir, cacheRoot });
    const expected = sharedJestCacheDir(projectDir, [], cacheRoot)!;
    expect(statSync(expected).isDirectory()).toBe(true);
    const { argv } = runner.command(['tests/a.test.js'], '/tmp/r.json');
    expect(argv.slice(argv.indexOf('--cacheDirectory'), argv.indexOf('--cacheDirectory') + 2)).toEqual(['--cacheDirectory', expected]);
    expect(argv.indexOf('--cacheDirectory')).toBeLessThan(argv.indexOf('--runTestsByPath'));
    expect(runner.emptyCommand?.('/e', '/r').argv).toContain(expected);
    expect(runner.reproCommand(['tests/a.test.js'])).not.toContain('cacheDirectory');
  });

  it("keeps the user's --runner-arg=--cacheDirectory as the only one", () => {
    const runner = createRunner('jest', {
      projectDir,
      cacheRoot: tempDir('leakhunt-jest-cache-root-'),
      runnerArgs: ['--cacheDirectory=/mine'],
    });
    const { argv } = runner.command(['tests/a.test.js'], '/tmp/r.json');
    expect(argv.filter((arg) => arg.includes('cacheDirectory'))).toEqual(['--cacheDirectory=/mine']);
  });

  it('keeps each run its own cache when the user cache cannot be written (jest would fail on it)', () => {
    const cacheRoot = tempDir('leakhunt-jest-cache-root-');
    writeFileSync(join(cacheRoot, 'jest'), 'a file where the folder would go');
    const runner = createRunner('jest', { projectDir, cacheRoot });
    expect(runner.command(['tests/a.test.js'], '/tmp/r.json').argv).not.toContain('--cacheDirectory');
  });
});
