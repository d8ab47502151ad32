// Which python runs pytest. Order, first match wins (docs/runners.md):
//   --python  →  $VIRTUAL_ENV/bin/python  →  <project>/.venv/bin/python, <project>/venv/bin/python
//   →  python3, python on PATH.
// The interpreter decides which pytest (and which plugins) run, so the choice and why it
// was made are kept: the report's runner version and the repro line both show it.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { findOnPath, isExecutableFile } from './executable.js';

export const PYTHON_NAMES = ['python3', 'python'] as const;
const PROJECT_VENVS = ['.venv', 'venv'] as const;

export interface PythonLookup {
  /** Where pytest runs; relative --python values and venv folders are resolved from it. */
  readonly projectDir: string;
  /** --python as given (a path, or a bare name looked up on PATH). */
  readonly python?: string | undefined;
  /** $VIRTUAL_ENV; default process.env.VIRTUAL_ENV. */
  readonly virtualEnv?: string | undefined;
  /** PATH to search; default process.env.PATH. */
  readonly pathEnv?: string | undefined;
}

export type PythonSource = 'flag' | 'virtual-env' | 'project-venv' | 'path';

export interface ResolvedPython {
  /** Absolute path of the interpreter (a bare name on PATH is resolved). */
  readonly path: string;
  readonly source: PythonSource;
  /** How a person in the project directory would start it: "python3", ".venv/bin/python", or the path. */
  readonly display: string;
}

/** Resolves python once; throws EnvironmentError (exit 3) naming what is missing. */
export function resolvePythonInterpreter(lookup: PythonLookup): ResolvedPython {
  const pathEnv = lookup.pathEnv ?? process.env['PATH'];
  if (lookup.python !== undefined) return fromFlag(lookup.python, lookup.projectDir, pathEnv);
  const virtualEnv = 'virtualEnv' in lookup ? lookup.virtualEnv : process.env['VIRTUAL_ENV'];
  // A stale $VIRTUAL_ENV (folder deleted) falls through to the next rule rather than stop.
  if (virtualEnv !== undefined && virtualEnv !== '') {
    const inVenv = join(virtualEnv, 'bin', 'python');
    if (isExecutableFile(inVenv)) return { path: inVenv, source: 'virtual-env', display: inVenv };
  }
  for (const venv of PROJECT_VENVS) {
    const inProject = join(lookup.projectDir, venv, 'bin', 'python');
    if (isExecutableFile(inProject)) return { path: inProject, source: 'project-venv', display: `${venv}/bin/python` };
  }
  const found = findOnPath(PYTHON_NAMES, pathEnv);
  if (found === undefined) {
    throw new EnvironmentError(
      'pytest runner: no python found (no --python, no $VIRTUAL_ENV, no .venv/ or venv/ in the project, neither python3 nor python on PATH)',
      'pass --python /path/to/python, or activate the virtualenv of the project before running leakhunt',
    );
  }
  return { path: found, source: 'path', display: found.split('/').pop() ?? found };
}

function fromFlag(python: string, projectDir: string, pathEnv: string | undefined): ResolvedPython {
  if (!python.includes('/')) {
    const found = findOnPath([python], pathEnv);
    if (found === undefined) {
      throw new EnvironmentError(
        `--python ${python}: not found on PATH`,
        "give the interpreter's path, e.g. --python .venv/bin/python or --python /usr/bin/python3",
      );
    }
    return { path: found, source: 'flag', display: python };
  }
  const path = resolve(projectDir, python);
  if (!isExecutableFile(path)) {
    throw new EnvironmentError(
      `--python ${python}: ${path} is not an executable file`,
      'give the path of a python that has pytest installed, e.g. --python .venv/bin/python',
    );
  }
  return { path, source: 'flag', display: isAbsolute(python) ? python : relative(projectDir, path) };
}
