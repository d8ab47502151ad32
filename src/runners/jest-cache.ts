// Where jest keeps its transform and haste-map cache during a hunt: one folder per project
// under leakhunt's user cache (util/user-cache.ts), shared by every run of every hunt, so
// only the first run on a project (or on a file changed since) transforms anything.
// Without it each run's private TMPDIR (execute/run-tmpdir.ts) held jest's default
// cacheDirectory, empty every time: each batch and trial transformed all its files again
// (ts-jest on jest-extended: 1.5–2.2× the warm run's time and +130 MiB of peak, half as much again; in
// docs/decisions.md "jest's cache: one per project, shared by every run").
//
// Left alone when the user chose a cache: a --runner-arg naming cacheDirectory, or a config
// that mentions it (their jest uses that folder, and so do our runs, as before).
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** jest's own config file names (jest-config's JEST_CONFIG_EXT_ORDER with "jest.config."). */
const CONFIG_FILE = /^jest\.config\.(?:[cm]?[jt]s|json)$/;

/**
 * The cache folder for this project's runs, or undefined when leakhunt leaves jest's cache
 * as it is: no user cache (LEAKHUNT_CACHE_DIR=off), or the user names a cacheDirectory.
 */
export function sharedJestCacheDir(projectDir: string, runnerArgs: readonly string[], cacheRoot: string | undefined): string | undefined {
  if (cacheRoot === undefined) return undefined;
  if (runnerArgs.some((arg) => arg.includes('cacheDirectory'))) return undefined;
  if (configTexts(projectDir, runnerArgs).some((text) => text.includes('cacheDirectory'))) return undefined;
  // Absolute: jest reads a relative --cacheDirectory from its rootDir, the project (a relative
  // LEAKHUNT_CACHE_DIR would have put the cache inside the user's project).
  return join(resolve(cacheRoot), 'jest', projectKey(projectDir));
}

/**
 * Creates the folder; false when it cannot be written (a read-only home): jest throws on a
 * cache it cannot write, so such a hunt keeps each run's own cache instead of failing.
 */
export function prepareJestCacheDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The same project reached by another path (a symlink, a relative --project) shares one folder. */
function projectKey(projectDir: string): string {
  let real = resolve(projectDir);
  try {
    real = realpathSync(real);
  } catch {
    // not there yet: jest will say so; the key only has to be stable
  }
  return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

/**
 * The texts a cacheDirectory setting could be in: package.json (its "jest" key), jest.config.*
 * and a --config file. Read as text, not evaluated: a mention anywhere is enough to stay out.
 */
function configTexts(projectDir: string, runnerArgs: readonly string[]): string[] {
  const names = [
    'package.json',
    ...safeReaddir(projectDir).filter((name) => CONFIG_FILE.test(name)),
    ...configArgs(runnerArgs).map((path) => resolve(projectDir, path)),
  ];
  return names.map((name) => safeRead(resolve(projectDir, name)));
}

/** The values of --config / -c (both `--config x` and `--config=x`). */
function configArgs(args: readonly string[]): string[] {
  const found: string[] = [];
  args.forEach((arg, i) => {
    if ((arg === '--config' || arg === '-c') && args[i + 1] !== undefined) found.push(args[i + 1]!);
    else if (arg.startsWith('--config=')) found.push(arg.slice('--config='.length));
  });
  return found;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
