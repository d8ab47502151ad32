// Detection reads real directories: each test builds a small tree in a temp dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { commonAncestor, detectProject } from './detect.js';

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
const file = (path: string, nodeId = false) => ({ absolutePath: join(root, path), nodeId });

describe('detectProject', () => {
  it('finds the nearest pytest configuration above the tests, not the conftest in tests/', async () => {
    await files({ 'svc/pytest.ini': '[pytest]\n', 'svc/tests/conftest.py': '', 'svc/tests/test_a.py': '', 'svc/tests/unit/test_b.py': '' });
    const choice = await detectProject([file('svc/tests/test_a.py'), file('svc/tests/unit/test_b.py')]);
    expect(choice).toMatchObject({ runner: 'pytest', projectDir: join(root, 'svc'), dirWhy: `pytest.ini in ${join(root, 'svc')}` });
  });

  it('runs a project whose pyproject.toml, setup.cfg and tox.ini have no pytest section from its root', async () => {
    await files({
      'pyproject.toml': '[project]\nname = "w"\n',
      'setup.cfg': '[metadata]\nname = w\n',
      'tox.ini': '[tox]\nenvlist = py3\n',
      'tests/test_w.py': '',
    });
    expect(await detectProject([file('tests/test_w.py', true)])).toMatchObject({ runner: 'pytest', projectDir: root });
  });

  it('looks inside a selected directory for the kind of tests it holds', async () => {
    await files({ 'pyproject.toml': '[project]\nname = "w"\n', 'tests/unit/test_w.py': '' });
    expect(await detectProject([file('tests')])).toMatchObject({ runner: 'pytest', projectDir: root });
  });

  it('exits 2 naming both runners when pytest and jest both fit a directory entry', async () => {
    await files({ 'pytest.ini': '', 'jest.config.js': 'module.exports = {};', 'suite/readme.txt': '' });
    const refused = detectProject([file('suite')]);
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(/both pytest \(pytest\.ini in .*\) and jest \(jest\.config\.js in .*\) fit/);
  });

  it('finds the package a jest test belongs to, jest installed at the workspace root', async () => {
    await files({
      'package.json': '{"workspaces":["web"],"devDependencies":{"jest":"^30"}}',
      'web/package.json': '{}',
      'web/src/a.test.js': '',
    });
    expect(await detectProject([file('web/src/a.test.js')])).toMatchObject({ runner: 'jest', projectDir: join(root, 'web') });
  });

  it('finds the bundled example suites', async () => {
    const examples = new URL('../../test/examples/', import.meta.url).pathname.replace(/\/$/, '');
    expect(await detectProject([{ absolutePath: join(examples, 'pytest/tests/billing/test_invoices.py'), nodeId: false }])).toMatchObject({
      runner: 'pytest',
      projectDir: join(examples, 'pytest'),
    });
    expect(await detectProject([{ absolutePath: join(examples, 'jest/tests/cart.test.js'), nodeId: false }])).toMatchObject({
      runner: 'jest',
      projectDir: join(examples, 'jest'),
      dirWhy: `package.json has a "jest" key in ${join(examples, 'jest')}`,
    });
  });
});

describe('commonAncestor', () => {
  it('keeps only whole path segments', () => {
    expect(commonAncestor(['/a/bc/d', '/a/b/e'])).toBe('/a');
    expect(commonAncestor(['/a/b'])).toBe('/a/b');
    expect(commonAncestor(['/x', '/y'])).toBe('/');
  });
});
