// The detection rules on simulated directory walks; detect.test.ts and
// test/e2e/project-layouts.e2e.test.ts check them on real trees.
import { describe, expect, it } from '@jest/globals';
import { type MarkerFile, readMarkers } from './markers.js';
import { type AncestorDirectory, decideProject, type ProjectDecision, selectionKinds } from './project-rules.js';

/** A walk upward: { '/r/a': { 'conftest.py': '' }, '/r': {...} }, nearest first. */
function walk(dirs: Record<string, Partial<Record<MarkerFile, string>>>, installed: readonly string[] = []): AncestorDirectory[] {
  return Object.entries(dirs).map(([dir, files]) => ({
    dir,
    markers: readMarkers(new Map(Object.entries(files)) as Map<MarkerFile, string>),
    jestInstalled: installed.includes(dir),
  }));
}
const pyTests = selectionKinds(['/r/tests/test_a.py', '/r/tests/b_test.py'], new Set());
const jsTests = selectionKinds(['/r/src/a.test.js'], new Set());
const dirs = selectionKinds(['/r/tests'], new Set());
const chosen = (decision: ProjectDecision) =>
  decision.ok ? { runner: decision.choice.runner, dir: decision.choice.projectDir } : decision.problem;

describe('pytest rootdir', () => {
  it("takes the nearest configuration, in pytest's order of files", () => {
    const ancestors = walk({
      '/r/tests': { 'conftest.py': '' },
      '/r': { 'tox.ini': '[pytest]\n', 'setup.py': '' },
      '/': { 'pytest.ini': '' },
    });
    const decision = decideProject(ancestors, false, pyTests);
    expect(chosen(decision)).toEqual({ runner: 'pytest', dir: '/r' });
    expect(decision.ok && decision.choice.dirWhy).toBe('tox.ini has [pytest] in /r');
  });

  it('runs a pyproject-only project from its pyproject.toml, as pytest ≥ 8.1 does', () => {
    const ancestors = walk({
      '/r/tests': {},
      '/r': { 'pyproject.toml': '[project]\nname = "x"\n', 'setup.cfg': '[metadata]\n', 'tox.ini': '[tox]\n' },
      '/': {},
    });
    expect(chosen(decideProject(ancestors, false, pyTests))).toEqual({ runner: 'pytest', dir: '/r' });
  });

  it("then the directory above the package the tests are in (an installed package's tests)", () => {
    const installed = walk({
      '/s/dist-packages/simplejson/tests': { '__init__.py': '' },
      '/s/dist-packages/simplejson': { '__init__.py': '', 'conftest.py': '' },
      '/s/dist-packages': {},
      '/s': {},
    });
    expect(chosen(decideProject(installed, false, pyTests))).toEqual({ runner: 'pytest', dir: '/s/dist-packages' });
  });

  it('also when the tests are a plain folder inside the package (Debian ships toolz/tests without __init__.py)', () => {
    const installed = walk({
      '/s/dist-packages/toolz/tests': {},
      '/s/dist-packages/toolz': { '__init__.py': '' },
      '/s/dist-packages': {},
      '/s': {},
    });
    expect(chosen(decideProject(installed, false, pyTests))).toEqual({ runner: 'pytest', dir: '/s/dist-packages' });
  });

  it("then setup.py, then the outermost conftest.py, then the repository root, then the tests' directory", () => {
    expect(
      chosen(
        decideProject(walk({ '/r/a/t': { 'conftest.py': '' }, '/r/a': { 'setup.py': '' }, '/r': { 'conftest.py': '' } }), false, pyTests),
      ),
    ).toEqual({ runner: 'pytest', dir: '/r/a' });
    expect(
      chosen(decideProject(walk({ '/r/a/t': { 'conftest.py': '' }, '/r/a': { 'conftest.py': '' }, '/r': {} }), true, pyTests)),
    ).toEqual({ runner: 'pytest', dir: '/r/a' });
    expect(chosen(decideProject(walk({ '/r/a/t': {}, '/r/a': {}, '/r': {} }), true, pyTests))).toEqual({ runner: 'pytest', dir: '/r' });
    expect(chosen(decideProject(walk({ '/r/a/t': {}, '/r/a': {}, '/': {} }), false, pyTests))).toEqual({ runner: 'pytest', dir: '/r/a/t' });
  });
});

describe('which runner', () => {
  it('takes test_*.py, *_test.py and node ids as pytest even with no configuration at all', () => {
    expect(chosen(decideProject(walk({ '/x': {}, '/': {} }), false, pyTests))).toEqual({ runner: 'pytest', dir: '/x' });
    const nodeIds = selectionKinds(['/x/checks.py'], new Set(['/x/checks.py']));
    expect(chosen(decideProject(walk({ '/x': {}, '/': {} }), false, nodeIds))).toEqual({ runner: 'pytest', dir: '/x' });
  });

  it('does not guess pytest for other .py files without configuration', () => {
    const plain = selectionKinds(['/x/checks.py'], new Set());
    const decision = decideProject(walk({ '/x': {}, '/': {} }), false, plain);
    expect(decision).toMatchObject({ ok: false, problem: 'none', hint: expect.stringContaining('--runner pytest') });
    expect(chosen(decideProject(walk({ '/x': { 'conftest.py': '' } }), false, plain))).toEqual({ runner: 'pytest', dir: '/x' });
  });

  it('lets the files decide when a directory configures both runners', () => {
    const both = walk({ '/r': { 'pytest.ini': '', 'package.json': '{"jest":{}}' } });
    expect(chosen(decideProject(both, true, pyTests))).toEqual({ runner: 'pytest', dir: '/r' });
    expect(chosen(decideProject(both, true, jsTests))).toEqual({ runner: 'jest', dir: '/r' });
  });

  it('refuses to guess when both fit and the entries are directories, naming both and the flag', () => {
    const decision = decideProject(walk({ '/r': { 'pytest.ini': '', 'jest.config.js': '' } }), true, dirs);
    expect(decision).toMatchObject({ ok: false, problem: 'both', hint: 'choose one with --runner pytest or --runner jest' });
    expect(!decision.ok && decision.message).toMatch(/both pytest \(pytest\.ini in \/r\) and jest \(jest\.config\.js in \/r\)/);
    expect(chosen(decideProject(walk({ '/r': { 'pytest.ini': '', 'jest.config.js': '' } }), true, dirs, 'jest'))).toEqual({
      runner: 'jest',
      dir: '/r',
    });
  });

  it("runs a monorepo package's jest tests in the package, with jest from the workspace root", () => {
    const ancestors = walk(
      {
        '/m/packages/a/src': {},
        '/m/packages/a': { 'package.json': '{"name":"a"}' },
        '/m/packages': {},
        '/m': { 'package.json': '{"devDependencies":{"jest":"^30"}}' },
      },
      ['/m'],
    );
    const decision = decideProject(ancestors, true, jsTests);
    expect(chosen(decision)).toEqual({ runner: 'jest', dir: '/m/packages/a' });
    expect(decision.ok && decision.choice.dirWhy).toBe('package.json in /m/packages/a; package.json depends on jest in /m');
  });

  it('does not take a package.json that nobody uses jest from as jest', () => {
    const decision = decideProject(walk({ '/w': { 'package.json': '{"devDependencies":{"mocha":"^10"}}' } }), true, jsTests);
    expect(decision).toMatchObject({ ok: false, problem: 'none' });
  });
});

describe('selectionKinds', () => {
  it('counts python, pytest-named, javascript and other entries', () => {
    expect(selectionKinds(['/a/test_x.py', '/a/x_test.py', '/a/helper.py', '/a/c.test.tsx', '/a/dir'], new Set(['/a/helper.py']))).toEqual({
      python: 3,
      pytestNamed: 3,
      javascript: 1,
      other: 1,
    });
    expect(selectionKinds(['/a/testing.py', '/a/latest.py'], new Set())).toEqual({ python: 2, pytestNamed: 0, javascript: 0, other: 0 });
  });
});
