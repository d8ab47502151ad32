import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { UsageError } from '../errors.js';
import { makeOutDir } from './out-dir.js';

describe('makeOutDir', () => {
  it('refuses an --out that is an existing regular file with a usage error and leaves the file alone', async () => {
    const dir = tempDir('leakhunt-outdir-');
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'mine');
    await expect(makeOutDir(file)).rejects.toBeInstanceOf(UsageError);
    await expect(makeOutDir(join(file, 'sub'))).rejects.toThrow(/not a directory/);
    expect(await readFile(file, 'utf8')).toBe('mine');
  });

  it('creates missing parents of a new --out directory', async () => {
    const dir = tempDir('leakhunt-outdir-');
    await makeOutDir(join(dir, 'a', 'b'));
    expect((await stat(join(dir, 'a', 'b'))).isDirectory()).toBe(true);
  });
});
