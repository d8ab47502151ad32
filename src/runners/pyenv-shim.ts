// `python3` on PATH is often a pyenv shim: a bash script that runs pyenv's version selection
// (.python-version files, $PYENV_VERSION, the global version file, hooks) in half a dozen more
// bash processes before it execs the real interpreter: ~0.25 s at every start on these machines
// (docs/benchmarks.md, overhead). leakhunt starts the runner once per batch and per trial, so
// it asks the shim once which interpreter and which environment it would give (the interpreter
// reports sys.executable and its os.environ), then starts that interpreter directly with that
// environment: the same python, the same pytest and plugins, the same variables for the tests,
// without the shim's cost per run.
//
// The answer is cached (util/user-cache.ts) under everything pyenv reads to choose: the shim,
// the project directory (its cwd), PATH and the PYENV_* variables, each .python-version from
// the project up to /, and pyenv's global version file, versions/, plugins/ and pyenv.d/ (hooks).
// Anything else, or a shim that does not answer, leaves the shim in place: slower, never
// another python. Repro lines keep the user's own `python3`.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readCached, stamp, writeCached } from '../util/user-cache.js';

/** What starting the shim amounts to: this interpreter, these variables added to leakhunt's environment. */
export interface ShimTarget {
  readonly executable: string;
  readonly env: Readonly<Record<string, string>>;
}

const CACHE_KIND = 'pyenv-shim';
/** The interpreter prints what it was started as, and the environment the shim gave it. */
const ASK = 'import json, os, sys; print(json.dumps({"executable": sys.executable, "env": dict(os.environ)}))';

/** Pure: a pyenv shim is a script that hands its own name to `pyenv exec`. */
export function isPyenvShimText(head: string): boolean {
  return head.startsWith('#!') && /\/pyenv"?[ \t]+exec[ \t]/.test(head);
}

/** bash's own bookkeeping in every script it runs: not a choice of the shim, and different per start. */
const BASH_BOOKKEEPING = new Set(['SHLVL', '_', 'OLDPWD']);

/**
 * Pure: what the shim changed in the environment: PATH (the version's bin/ in front), pyenv's
 * PYENV_* variables, PWD (bash sets it to the project directory), and whatever a pyenv hook
 * exports (a conda or virtualenv plugin); not bash's bookkeeping.
 */
export function shimEnvDelta(before: NodeJS.ProcessEnv, after: Readonly<Record<string, string>>): Record<string, string> {
  const delta: Record<string, string> = {};
  for (const [name, value] of Object.entries(after)) {
    if (!BASH_BOOKKEEPING.has(name) && before[name] !== value) delta[name] = value;
  }
  return delta;
}

/** The directories from `dir` up to /, where pyenv looks for .python-version. */
export function ancestors(dir: string): string[] {
  const dirs = [dir];
  while (dirname(dirs[dirs.length - 1]!) !== dirs[dirs.length - 1]) dirs.push(dirname(dirs[dirs.length - 1]!));
  return dirs;
}

async function readHead(path: string): Promise<string | undefined> {
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

async function cacheKey(shim: string, projectDir: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const root = env['PYENV_ROOT'] || join(homedir(), '.pyenv');
  const pyenvVars = Object.entries(env)
    .filter(([name]) => name.startsWith('PYENV') || name.startsWith('_PYENV'))
    .sort(([a], [b]) => a.localeCompare(b));
  const versionFiles = await Promise.all(ancestors(projectDir).map((dir) => stamp(join(dir, '.python-version'))));
  return {
    // Which variables an answer keeps (shimEnvDelta): a change there must not reuse older answers.
    answerLayout: 2,
    shim,
    shimStamp: await stamp(shim),
    projectDir,
    path: env['PATH'],
    pyenvVars,
    versionFiles,
    global: await Promise.all(['version', 'versions', 'plugins', 'pyenv.d'].map((name) => stamp(join(root, name)))),
  };
}

/**
 * The interpreter behind `python` when it is a pyenv shim, started from `projectDir`;
 * undefined when it is not a shim or the shim gave no usable answer (then the shim is used).
 */
export async function resolvePyenvShim(
  python: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ShimTarget | undefined> {
  const head = await readHead(python);
  if (head === undefined || !isPyenvShimText(head)) return undefined;
  const key = await cacheKey(python, projectDir, env);
  const cached = await readCached<ShimTarget>(CACHE_KIND, key);
  // The version's interpreter was removed (pyenv uninstall) since: ask again.
  if (cached !== undefined && (await stamp(cached.executable)) !== null) return cached;
  const asked = await askShim(python, projectDir, env);
  if (asked !== undefined) await writeCached(CACHE_KIND, key, asked);
  return asked;
}

async function askShim(python: string, projectDir: string, env: NodeJS.ProcessEnv): Promise<ShimTarget | undefined> {
  try {
    const { stdout } = await promisify(execFile)(python, ['-c', ASK], { cwd: projectDir, env, timeout: 30_000 });
    const answer = JSON.parse(stdout) as { executable?: unknown; env?: Record<string, string> };
    if (typeof answer.executable !== 'string' || !answer.executable.startsWith('/') || answer.env === undefined) return undefined;
    if (answer.executable === python) return undefined; // not a shim after all
    return { executable: answer.executable, env: shimEnvDelta(env, answer.env) };
  } catch {
    return undefined; // no such version, a broken pyenv: the shim says why in the first batch's log
  }
}
