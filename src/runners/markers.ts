// Which runner a directory's files point at. Pure: the caller reads the few marker files
// of one directory and passes their text in; this module only applies the rules.
//
// pytest: pytest.ini (even empty), pyproject.toml with [tool.pytest…], setup.cfg with
// [tool:pytest], tox.ini with [pytest] are configuration (strong: pytest's own rootdir
// rules stop there); a conftest.py is only a hint (it often sits in tests/, below the root).
// jest: a jest.config.* file, or a package.json with a "jest" key or a jest dependency.

export const MARKER_FILES = [
  'pytest.ini',
  'pyproject.toml',
  'setup.cfg',
  'tox.ini',
  'conftest.py',
  'package.json',
  'jest.config.js',
  'jest.config.cjs',
  'jest.config.mjs',
  'jest.config.ts',
  'jest.config.json',
] as const;
export type MarkerFile = (typeof MARKER_FILES)[number];

/** Text of the marker files present in one directory (absent files are not keys). */
export type MarkerContents = ReadonlyMap<MarkerFile, string>;

export interface DirectoryMarkers {
  /** Why pytest is configured here ("pytest.ini"), if it is. */
  readonly pytestConfig: string | undefined;
  /** Set when there is only a conftest.py: a pytest project, but maybe not its root. */
  readonly pytestHint: string | undefined;
  /** Why jest is configured here ("jest.config.js", "package.json has a jest key"). */
  readonly jestConfig: string | undefined;
  /** A package.json exists: the root of a node package, where jest would run. */
  readonly packageJson: boolean;
}

export function readMarkers(contents: MarkerContents): DirectoryMarkers {
  return {
    pytestConfig: pytestConfigReason(contents),
    pytestHint: contents.has('conftest.py') ? 'conftest.py' : undefined,
    jestConfig: jestConfigReason(contents),
    packageJson: contents.has('package.json'),
  };
}

function pytestConfigReason(contents: MarkerContents): string | undefined {
  if (contents.has('pytest.ini')) return 'pytest.ini';
  if (hasSection(contents.get('pyproject.toml'), /^\[tool\.pytest/m)) return 'pyproject.toml has [tool.pytest]';
  if (hasSection(contents.get('setup.cfg'), /^\[tool:pytest\]/m)) return 'setup.cfg has [tool:pytest]';
  if (hasSection(contents.get('tox.ini'), /^\[pytest\]/m)) return 'tox.ini has [pytest]';
  return undefined;
}

function hasSection(text: string | undefined, section: RegExp): boolean {
  return text !== undefined && section.test(text);
}

function jestConfigReason(contents: MarkerContents): string | undefined {
  const configFile = MARKER_FILES.find((file) => file.startsWith('jest.config.') && contents.has(file));
  if (configFile !== undefined) return configFile;
  const packageJson = contents.get('package.json');
  return packageJson === undefined ? undefined : jestInPackageJson(packageJson);
}

function jestInPackageJson(text: string): string | undefined {
  let manifest: { jest?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return undefined; // a broken package.json says nothing about jest
  }
  if (manifest.jest !== undefined) return 'package.json has a "jest" key';
  if (manifest.devDependencies?.['jest'] !== undefined || manifest.dependencies?.['jest'] !== undefined) {
    return 'package.json depends on jest';
  }
  return undefined;
}

export type DetectedRunner = { readonly name: 'pytest' | 'jest'; readonly reason: string };

const PYTHON_TEST = /\.py$/;
const JS_TEST = /\.[cm]?[jt]sx?$/;

/**
 * The runner a directory's markers point at. When both are configured, the selected test
 * files decide (more .py than .js/.ts → pytest); without them pytest wins, and says so.
 */
export function chooseRunner(markers: DirectoryMarkers, testPaths: readonly string[]): DetectedRunner | undefined {
  const pytest = markers.pytestConfig ?? markers.pytestHint;
  const jest = markers.jestConfig;
  if (pytest === undefined) return jest === undefined ? undefined : { name: 'jest', reason: jest };
  if (jest === undefined) return { name: 'pytest', reason: pytest };

  const python = testPaths.filter((path) => PYTHON_TEST.test(path)).length;
  const javascript = testPaths.filter((path) => JS_TEST.test(path)).length;
  const both = `both pytest (${pytest}) and jest (${jest}) are configured`;
  if (javascript > python) return { name: 'jest', reason: `${both}; the selected tests are .js/.ts files` };
  if (python > javascript) return { name: 'pytest', reason: `${both}; the selected tests are .py files` };
  return { name: 'pytest', reason: `${both}; chose pytest (pass --runner jest to change)` };
}

/** Whether a directory is where `runner` would run (for finding the project directory). */
export function isProjectRoot(markers: DirectoryMarkers, runner: 'pytest' | 'jest' | undefined): boolean {
  if (runner === 'pytest') return markers.pytestConfig !== undefined;
  if (runner === 'jest') return markers.jestConfig !== undefined || markers.packageJson;
  // Runner unknown: only real configuration counts; a bare package.json may be tooling.
  return markers.pytestConfig !== undefined || markers.jestConfig !== undefined;
}
