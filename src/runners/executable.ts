// Finds a program on PATH the way a shell would, without starting it. Used once per
// preset so a missing interpreter is an EnvironmentError before any batch runs.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of the first of `names` found on `pathEnv`, or undefined. */
export function findOnPath(names: readonly string[], pathEnv: string | undefined): string | undefined {
  const dirs = (pathEnv ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** True for an existing regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
