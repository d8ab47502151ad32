// Decides whether --out can hold the hunt's files: it creates the directory, and turns the
// mistakes users make (a regular file, a read-only place) into a usage error instead of a
// stack trace. Files of the user's already in the directory are left where they are.
import { mkdir } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

const USER_FIXABLE_CODES = new Set(['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);
// Kernel filesystems: nothing can be written there, and Node 20's recursive mkdir under /proc
// never returns (it retries forever), so leakhunt would hang instead of saying no.
const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev'];

export async function makeOutDir(outDir: string): Promise<void> {
  const absolute = resolve(outDir);
  const kernel = KERNEL_FILESYSTEMS.find((root) => absolute === root || absolute.startsWith(`${root}${sep}`));
  if (kernel !== undefined) {
    throw new UsageError(
      `--out ${outDir}: ${kernel} is a kernel filesystem, reports cannot be written there`,
      'pass --out a directory leakhunt may write to, e.g. --out .leakhunt',
    );
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!USER_FIXABLE_CODES.has(code)) throw error;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it (or a parent) is a file, not a directory' : `it cannot be created (${code})`;
    throw new UsageError(`--out ${outDir}: ${why}`, 'pass --out a directory leakhunt may write to, e.g. --out .leakhunt');
  }
}
