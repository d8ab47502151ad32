// Which runner a selection is for, and the directory it runs in, from what the selection's
// files are and what the directories above them hold. Pure: detect.ts reads the disk once
// per hunt (one walk upward from the selection's common ancestor) and passes it in.
//
// The rules follow the runners' own (docs/runners.md, "Detection"):
// - pytest's rootdir: the nearest directory, upward from the common ancestor, with pytest
//   configuration; else the nearest pyproject.toml (pytest ≥ 8.1 does the same); else the
//   nearest setup.py; then, where pytest would fall back to the common ancestor, leakhunt
//   prefers the directory above the package the tests are in (tests with __init__.py), the
//   outermost conftest.py, then the repository root (.git), because a run from there
//   imports the project the way its developers run it.
// - jest's rootDir: the nearest directory with a jest.config.* or a package.json (jest's
//   own config lookup from its cwd).
// - The selected files decide first: .py files can only be pytest's, .js/.ts only jest's.
//   test_*.py / *_test.py files and `::` node ids are pytest's even with no configuration.
//   Only when the files cannot tell (directories) does configuration decide, and when
//   both runners are configured leakhunt asks instead of guessing.
import type { DirectoryMarkers } from './markers.js';

/** One directory on the walk upward, nearest first. */
export interface AncestorDirectory {
  readonly dir: string;
  readonly markers: DirectoryMarkers;
  /** jest is installed here (node_modules/jest), so `npx jest` from below would find it. */
  readonly jestInstalled: boolean;
}

/** What the selection's entries are, counted once per distinct file. */
export interface SelectionKinds {
  /** .py files (test-named or not). */
  readonly python: number;
  /** .py files named test_*.py or *_test.py, or given as `file.py::node` ids. */
  readonly pytestNamed: number;
  /** .js/.ts (and .cjs/.mjs/.jsx/.tsx…) files. */
  readonly javascript: number;
  /** Directories and other files: the runner cannot be told from them. */
  readonly other: number;
}

export type TestRunner = 'pytest' | 'jest' | 'vitest' | 'node-test';

export interface ProjectChoice {
  readonly runner: TestRunner;
  readonly projectDir: string;
  /** For people: why this runner ("the selection names pytest test files"). */
  readonly runnerWhy: string;
  /** For people: why this directory ("pytest.ini in /p"). */
  readonly dirWhy: string;
}

export type ProjectDecision =
  | { readonly ok: true; readonly choice: ProjectChoice }
  | { readonly ok: false; readonly problem: 'none' | 'both'; readonly message: string; readonly hint: string };

interface Placed {
  readonly dir: string;
  readonly why: string;
  /** The runner itself is configured or installed here (not only a directory where it could run). */
  readonly configured: boolean;
}

/**
 * @param ancestors from the selection's common ancestor upward, nearest first, ending at
 *   the repository root (a directory with .git) or the filesystem root
 */
export function pytestProject(ancestors: readonly AncestorDirectory[], hasGit: boolean): Placed {
  const start = ancestors[0]?.dir ?? '/';
  const configured = ancestors.find((a) => a.markers.pytestConfig !== undefined);
  if (configured !== undefined)
    return { dir: configured.dir, why: `${configured.markers.pytestConfig} in ${configured.dir}`, configured: true };
  const pyproject = ancestors.find((a) => a.markers.pyproject);
  if (pyproject !== undefined)
    return {
      dir: pyproject.dir,
      why: `pyproject.toml in ${pyproject.dir} (no pytest table: pytest ≥ 8.1 takes it as rootdir)`,
      configured: false,
    };
  const setupPy = ancestors.find((a) => a.markers.setupPy);
  if (setupPy !== undefined) return { dir: setupPy.dir, why: `setup.py in ${setupPy.dir}`, configured: false };
  // Tests inside a package (pkg/tests/__init__.py): pytest imports them as pkg.tests.x from
  // the directory above the outermost package, and so must `python -m pkg.tool` in a test.
  // Tests in a plain folder inside a package (toolz/tests/ without __init__.py, as Debian
  // ships toolz) `import toolz` too, which works only from the directory above the package:
  // pytest alone would put toolz/tests on sys.path and fail every file with ModuleNotFoundError.
  const nearestPackage = ancestors.findIndex((a) => a.markers.initPy);
  const packageTop = nearestPackage < 0 ? undefined : ancestors.slice(nearestPackage).find((a) => !a.markers.initPy);
  if (packageTop !== undefined)
    return {
      dir: packageTop.dir,
      why: `${packageTop.dir}, above the package the tests are in (where pytest imports it from)`,
      configured: false,
    };
  const conftest = ancestors.findLast((a) => a.markers.conftest);
  if (conftest !== undefined) return { dir: conftest.dir, why: `outermost conftest.py in ${conftest.dir}`, configured: true };
  const top = ancestors.at(-1);
  if (hasGit && top !== undefined) return { dir: top.dir, why: `repository root ${top.dir} (no pytest configuration)`, configured: false };
  return { dir: start, why: `common directory of the tests ${start} (no pytest configuration)`, configured: false };
}

export function jestProject(ancestors: readonly AncestorDirectory[]): Placed | undefined {
  const root = ancestors.find((a) => a.markers.jestRoot);
  if (root === undefined) return undefined;
  if (root.markers.jestConfig !== undefined) return { dir: root.dir, why: `${root.markers.jestConfig} in ${root.dir}`, configured: true };
  // A monorepo package: its own package.json, jest in a workspace root above it.
  const above = ancestors.find((a) => a.markers.jestConfig === 'package.json depends on jest' || a.jestInstalled);
  const why =
    above === undefined
      ? undefined
      : above.markers.jestConfig !== undefined
        ? `package.json in ${root.dir}; ${above.markers.jestConfig} in ${above.dir}`
        : `package.json in ${root.dir}; jest installed in ${above.dir}`;
  return { dir: root.dir, why: why ?? `package.json in ${root.dir}`, configured: why !== undefined };
}

/**
 * vitest or node:test instead of jest: decided at jest's root (the nearest package.json or
 * config) and the packages above it, unless jest itself is configured there by a
 * jest.config.* or a "jest" key.
 */
export function otherJsProject(
  ancestors: readonly AncestorDirectory[],
): (Placed & { readonly runner: 'vitest' | 'node-test' }) | undefined {
  const rootIndex = ancestors.findIndex((a) => a.markers.jestRoot);
  if (rootIndex < 0) return undefined;
  const root = ancestors[rootIndex]!;
  if (root.markers.jestConfig !== undefined && root.markers.jestConfig !== 'package.json depends on jest') return undefined;
  const found = ancestors.slice(rootIndex).find((a) => a.markers.otherJsRunner !== undefined);
  if (found === undefined || found.markers.otherJsRunner === undefined) return undefined;
  const { runner, why } = found.markers.otherJsRunner;
  return {
    runner,
    dir: root.dir,
    why: found === root ? `${why} in ${root.dir}` : `package.json in ${root.dir}; ${why} in ${found.dir}`,
    configured: true,
  };
}

export function decideProject(
  ancestors: readonly AncestorDirectory[],
  hasGit: boolean,
  kinds: SelectionKinds,
  forced?: TestRunner,
): ProjectDecision {
  const pytest = pytestProject(ancestors, hasGit);
  const other = otherJsProject(ancestors);
  const jest = other === undefined ? jestProject(ancestors) : undefined;
  const start = ancestors[0]?.dir ?? '/';
  const pick = (runner: TestRunner, placed: Placed, why: string): ProjectDecision => ({
    ok: true,
    choice: { runner, projectDir: placed.dir, runnerWhy: why, dirWhy: placed.why },
  });

  if (forced === 'pytest') return pick('pytest', pytest, 'forced with --runner');
  if (forced !== undefined) {
    const root = ancestors.find((a) => a.markers.jestRoot);
    return pick(
      forced,
      root === undefined
        ? { dir: start, why: `${start} (no package.json above the tests)`, configured: false }
        : { dir: root.dir, why: `package.json in ${root.dir}`, configured: true },
      'forced with --runner',
    );
  }

  if (kinds.python > 0) {
    if (pytest.configured || kinds.pytestNamed === kinds.python)
      return pick(
        'pytest',
        pytest,
        kinds.pytestNamed === kinds.python ? 'the selection names pytest test files' : 'the selection names .py files',
      );
    return none(
      start,
      'the selected .py files are not named test_*.py / *_test.py and no pytest configuration or conftest.py is above them',
    );
  }
  if (kinds.javascript > 0) {
    if (other !== undefined) return pick(other.runner, other, 'the selection names .js/.ts test files');
    if (jest?.configured === true) return pick('jest', jest, 'the selection names .js/.ts test files');
    return none(
      start,
      jest === undefined
        ? 'the selected .js/.ts files have no package.json or jest.config.* above them'
        : `${jest.dir} has a package.json, but neither it nor a package above it uses jest`,
    );
  }
  const pytestFits = pytest.configured;
  if (other !== undefined && !pytestFits) return pick(other.runner, other, `${other.runner} is configured`);
  const jestFits = jest?.configured === true;
  if (pytestFits && jestFits) {
    return {
      ok: false,
      problem: 'both',
      message: `both pytest (${pytest.why}) and jest (${jest!.why}) fit this selection, and its entries (directories) do not say which`,
      hint: 'choose one with --runner pytest or --runner jest',
    };
  }
  if (pytestFits) return pick('pytest', pytest, 'pytest is configured');
  if (jestFits) return pick('jest', jest!, 'jest is configured');
  return none(
    start,
    'no pytest.ini, pyproject.toml/tox.ini/setup.cfg pytest section, conftest.py, jest config or package.json using jest is above it',
  );
}

function none(start: string, why: string): ProjectDecision {
  return {
    ok: false,
    problem: 'none',
    message: `cannot tell which test runner the tests under ${start} use: ${why}`,
    hint: 'pass --runner pytest|jest, or --cmd "your-command {tests}"',
  };
}

const PYTHON_FILE = /\.py$/;
const PYTEST_NAMED = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;
const JS_FILE = /\.[cm]?[jt]sx?$/;

/** Counts the kinds of a selection's distinct files; `nodeIdFiles` are files given with a `::` suffix. */
export function selectionKinds(files: readonly string[], nodeIdFiles: ReadonlySet<string>): SelectionKinds {
  let python = 0;
  let pytestNamed = 0;
  let javascript = 0;
  let other = 0;
  for (const file of files) {
    if (PYTHON_FILE.test(file)) {
      python += 1;
      if (PYTEST_NAMED.test(file) || nodeIdFiles.has(file)) pytestNamed += 1;
    } else if (JS_FILE.test(file)) javascript += 1;
    else other += 1;
  }
  return { python, pytestNamed, javascript, other };
}
