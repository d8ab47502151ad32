// What one directory's files say about test runners. Pure: the caller reads the few marker
// files of one directory and passes their text in; this module only applies the rules.
// TOML and INI are parsed with libraries (smol-toml, ini), not matched with patterns: a
// section named in a comment or a string must not count, and `[tool.pytest.ini_options]`
// may be written as a dotted key or an inline table.
//
// pytest (its own rootdir/inifile rules, docs/runners.md): pytest.toml/.pytest.toml,
// pytest.ini/.pytest.ini (even empty), pyproject.toml with [tool.pytest] or
// [tool.pytest.ini_options], tox.ini with [pytest], setup.cfg with [tool:pytest] are
// configuration. A pyproject.toml without a pytest table, a setup.py and a conftest.py are
// only signs of a Python project: they place the rootdir when no configuration exists.
// jest: a jest.config.* file, or a package.json (jest's own config lookup stops at the
// first directory with either); jest is in use when the config names it or a package.json
// depends on it.
import { parse as parseIni } from 'ini';
import { parse as parseToml } from 'smol-toml';

export const MARKER_FILES = [
  'pytest.toml',
  '.pytest.toml',
  'pytest.ini',
  '.pytest.ini',
  'pyproject.toml',
  'tox.ini',
  'setup.cfg',
  'setup.py',
  'conftest.py',
  '__init__.py',
  'package.json',
  'jest.config.js',
  'jest.config.cjs',
  'jest.config.mjs',
  'jest.config.ts',
  'jest.config.cts',
  'jest.config.mts',
  'jest.config.json',
  'vitest.config.ts',
  'vitest.config.mts',
  'vitest.config.cts',
  'vitest.config.js',
  'vitest.config.mjs',
  'vitest.config.cjs',
] as const;
export type MarkerFile = (typeof MARKER_FILES)[number];

/** Text of the marker files present in one directory (absent files are not keys). */
export type MarkerContents = ReadonlyMap<MarkerFile, string>;

export interface DirectoryMarkers {
  /** The pytest configuration file here and why it counts ("pytest.ini", "pyproject.toml has [tool.pytest.ini_options]"). */
  readonly pytestConfig: string | undefined;
  /** A pyproject.toml without a pytest table: pytest ≥ 8.1 takes it as rootdir when nothing else is configured. */
  readonly pyproject: boolean;
  readonly setupPy: boolean;
  readonly conftest: boolean;
  /** A Python package directory: pytest imports its tests by the package's full name, from above the outermost one. */
  readonly initPy: boolean;
  /** Why jest is configured here ("jest.config.js", "package.json has a \"jest\" key", "package.json depends on jest"). */
  readonly jestConfig: string | undefined;
  /** A jest.config.* or package.json exists: jest run here would take its configuration from here. */
  readonly jestRoot: boolean;
  /**
   * Another JS runner this directory is set up for, and why: vitest (a vitest.config.*, or a
   * package.json whose test script runs vitest or that depends on it), node:test (a test
   * script running `node --test`). See jsRunnerReason for the order.
   */
  readonly otherJsRunner: { readonly runner: 'vitest' | 'node-test'; readonly why: string } | undefined;
}

export function readMarkers(contents: MarkerContents): DirectoryMarkers {
  const pytestConfig = pytestConfigReason(contents);
  return {
    pytestConfig,
    pyproject: pytestConfig === undefined && contents.has('pyproject.toml'),
    setupPy: contents.has('setup.py'),
    conftest: contents.has('conftest.py'),
    initPy: contents.has('__init__.py'),
    jestConfig: jestConfigReason(contents),
    jestRoot: contents.has('package.json') || MARKER_FILES.some((file) => /^(jest|vitest)\.config\./.test(file) && contents.has(file)),
    otherJsRunner: otherJsRunnerReason(contents),
  };
}

// pytest's own order of precedence within one directory.
function pytestConfigReason(contents: MarkerContents): string | undefined {
  for (const file of ['pytest.toml', '.pytest.toml', 'pytest.ini', '.pytest.ini'] as const) {
    if (contents.has(file)) return file;
  }
  const pyproject = pytestTableOf(contents.get('pyproject.toml'));
  if (pyproject !== undefined) return `pyproject.toml has [${pyproject}]`;
  if (hasIniSection(contents.get('tox.ini'), 'pytest')) return 'tox.ini has [pytest]';
  if (hasIniSection(contents.get('setup.cfg'), 'tool:pytest')) return 'setup.cfg has [tool:pytest]';
  return undefined;
}

function pytestTableOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch {
    return undefined; // pytest itself would stop on it; its message is clearer than ours
  }
  const pytest = asTable(asTable(document['tool'])?.['pytest']);
  if (pytest === undefined) return undefined;
  return asTable(pytest['ini_options']) !== undefined ? 'tool.pytest.ini_options' : 'tool.pytest';
}

function asTable(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function hasIniSection(text: string | undefined, section: string): boolean {
  if (text === undefined) return false;
  // The ini library nests sections at dots ("a.b" → a: { b }); pytest's sections have none.
  return Object.hasOwn(parseIni(text), section);
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

// The project's own test script says best which runner it uses; a config file next; a
// dependency last (a package may depend on vitest and jest while one of them is legacy).
// A jest.config.* or "jest" key wins over all of these (jestConfigReason, checked first).
function otherJsRunnerReason(contents: MarkerContents): DirectoryMarkers['otherJsRunner'] {
  let manifest: { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = {};
  try {
    manifest = JSON.parse(contents.get('package.json') ?? '{}') as typeof manifest;
  } catch {
    // a broken package.json says nothing
  }
  const script = manifest.scripts?.['test'] ?? '';
  if (/\bvitest\b/.test(script)) return { runner: 'vitest', why: "package.json's test script runs vitest" };
  if (/\bnode\b[^&|;]*\s--test\b/.test(script)) return { runner: 'node-test', why: "package.json's test script runs node --test" };
  if (/\bjest\b/.test(script)) return undefined;
  const configFile = MARKER_FILES.find((file) => file.startsWith('vitest.config.') && contents.has(file));
  if (configFile !== undefined) return { runner: 'vitest', why: configFile };
  if (manifest.devDependencies?.['vitest'] !== undefined || manifest.dependencies?.['vitest'] !== undefined)
    return { runner: 'vitest', why: 'package.json depends on vitest' };
  return undefined;
}
