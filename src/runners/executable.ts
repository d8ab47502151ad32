// Finds a program on PATH the way a shell would, without starting it. Used once per
// preset so a missing interpreter is an EnvironmentError before any batch runs.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter } from 'node:path';
import which from 'which';

/** Absolute path of the first of `names` found on `pathEnv`, or undefined. */
export function findOnPath(names: readonly string[], pathEnv: string | undefined): string | undefined {
  // Empty entries dropped: `which` reads them as the cwd, and an empty PATH as leakhunt's own.
  const path = (pathEnv ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .join(delimiter);
  if (path === '') return undefined;
  for (const name of names) {
    const found = which.sync(name, { path, nothrow: true });
    if (found !== null) return found;
  }
  return undefined;
}

/** True for an existing regular file this process may execute (a path given directly, not a PATH lookup). */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
