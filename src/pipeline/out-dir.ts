// Decides whether --out can hold the hunt's files: it creates the directory, and turns the
// mistakes users make (a regular file, a read-only place) into a usage error instead of a
// stack trace. Files of the user's already in the directory are left where they are.
import { mkdir } from 'node:fs/promises';
import { UsageError } from '../errors.js';

const USER_FIXABLE_CODES = new Set(['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

export async function makeOutDir(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!USER_FIXABLE_CODES.has(code)) throw error;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it (or a parent) is a file, not a directory' : `it cannot be created (${code})`;
    throw new UsageError(`--out ${outDir}: ${why}`, 'pass --out a directory leakhunt may write to, e.g. --out .leakhunt');
  }
}
