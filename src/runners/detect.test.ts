// Detection reads real directories: each test builds a small tree in a temp dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { commonAncestor, detectRunner, findProjectDir } from './detect.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'leakhunt-detect-'));
  await mkdir(join(root, '.git')); // the search never climbs above a repository root
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function files(paths: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(paths)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

describe('detectRunner', () => {
  it('detects pytest from pyproject.toml with a [tool.pytest] section', async () => {
    await files({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n' });
    expect(await detectRunner(root)).toEqual({ name: 'pytest', reason: 'pyproject.toml has [tool.pytest]' });
  });

  it('detects jest from a package.json dependency', async () => {
    await files({ 'package.json': '{"devDependencies":{"jest":"^30.0.0"}}' });
    expect(await detectRunner(root)).toEqual({ name: 'jest', reason: 'package.json depends on jest' });
  });

  it('chooses by the selected files when both are configured', async () => {
    await files({ 'pytest.ini': '[pytest]\n', 'jest.config.js': 'module.exports = {};' });
    expect((await detectRunner(root, [join(root, 'web/a.test.ts')]))?.name).toBe('jest');
    expect((await detectRunner(root, [join(root, 'tests/test_a.py')]))?.name).toBe('pytest');
  });

  it('says nothing for a directory with no runner configured', async () => {
    await files({ 'README.md': '# hi' });
    expect(await detectRunner(root)).toBeUndefined();
  });
});

describe('findProjectDir', () => {
  it('finds the nearest pytest configuration above the tests, not the conftest in tests/', async () => {
    await files({
      'svc/pytest.ini': '[pytest]\n',
      'svc/tests/conftest.py': '',
      'svc/tests/test_a.py': '',
      'svc/tests/unit/test_b.py': '',
    });
    const tests = [join(root, 'svc/tests/test_a.py'), join(root, 'svc/tests/unit/test_b.py')];
    expect(await findProjectDir(tests, 'pytest')).toBe(join(root, 'svc'));
    expect(await findProjectDir(tests)).toBe(join(root, 'svc'));
  });

  it('falls back to the outermost conftest.py when pytest has no configuration', async () => {
    await files({ 'app/conftest.py': '', 'app/tests/conftest.py': '', 'app/tests/test_a.py': '' });
    expect(await findProjectDir([join(root, 'app/tests/test_a.py')], 'pytest')).toBe(join(root, 'app'));
  });

  it('finds the package a jest test belongs to', async () => {
    await files({ 'package.json': '{"workspaces":["web"]}', 'web/package.json': '{}', 'web/src/a.test.js': '' });
    expect(await findProjectDir([join(root, 'web/src/a.test.js')], 'jest')).toBe(join(root, 'web'));
  });

  it('uses the common ancestor for generic runs and when nothing is configured', async () => {
    await files({ 'x/one/t1.sh': '', 'x/two/t2.sh': '' });
    const tests = [join(root, 'x/one/t1.sh'), join(root, 'x/two/t2.sh')];
    expect(await findProjectDir(tests, 'generic')).toBe(join(root, 'x'));
    expect(await findProjectDir(tests)).toBe(join(root, 'x'));
  });

  it('finds the bundled example suites', async () => {
    const examples = new URL('../../test/examples/', import.meta.url).pathname;
    expect(await findProjectDir([join(examples, 'pytest/tests/billing/test_invoices.py')])).toBe(join(examples, 'pytest'));
    expect(await findProjectDir([join(examples, 'jest/tests/cart.test.js')])).toBe(join(examples, 'jest'));
    expect(await detectRunner(join(examples, 'jest'))).toEqual({ name: 'jest', reason: 'package.json has a "jest" key' });
  });
});

describe('commonAncestor', () => {
  it('keeps only whole path segments', () => {
    expect(commonAncestor(['/a/bc/d', '/a/b/e'])).toBe('/a');
    expect(commonAncestor(['/a/b'])).toBe('/a/b');
    expect(commonAncestor(['/x', '/y'])).toBe('/');
  });
});
