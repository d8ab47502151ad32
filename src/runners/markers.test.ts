import { describe, expect, it } from '@jest/globals';
import { chooseRunner, isProjectRoot, readMarkers, type MarkerFile } from './markers.js';

const markers = (files: Partial<Record<MarkerFile, string>>) =>
  readMarkers(new Map(Object.entries(files)) as Map<MarkerFile, string>);

describe('readMarkers', () => {
  it('takes pytest.ini as pytest configuration even when empty', () => {
    expect(markers({ 'pytest.ini': '' }).pytestConfig).toBe('pytest.ini');
  });

  it('takes pyproject.toml, setup.cfg and tox.ini only with their pytest section', () => {
    expect(markers({ 'pyproject.toml': '[tool.pytest.ini_options]\n' }).pytestConfig).toBe('pyproject.toml has [tool.pytest]');
    expect(markers({ 'pyproject.toml': '[tool.black]\n' }).pytestConfig).toBeUndefined();
    expect(markers({ 'setup.cfg': '[metadata]\n[tool:pytest]\n' }).pytestConfig).toBe('setup.cfg has [tool:pytest]');
    expect(markers({ 'tox.ini': '[tox]\n[pytest]\naddopts = -q\n' }).pytestConfig).toBe('tox.ini has [pytest]');
    expect(markers({ 'tox.ini': '[tox]\nenvlist = py311\n' }).pytestConfig).toBeUndefined();
  });

  it('takes a conftest.py as a hint, not as configuration', () => {
    expect(markers({ 'conftest.py': '' })).toMatchObject({ pytestConfig: undefined, pytestHint: 'conftest.py' });
  });

  it('finds jest in a jest.config file, a "jest" key or a dependency, not in any package.json', () => {
    expect(markers({ 'jest.config.mjs': 'export default {}' }).jestConfig).toBe('jest.config.mjs');
    expect(markers({ 'package.json': '{"jest":{}}' }).jestConfig).toBe('package.json has a "jest" key');
    expect(markers({ 'package.json': '{"devDependencies":{"jest":"^30"}}' }).jestConfig).toBe('package.json depends on jest');
    expect(markers({ 'package.json': '{"devDependencies":{"vitest":"^3"}}' })).toMatchObject({ jestConfig: undefined, packageJson: true });
    expect(markers({ 'package.json': '{broken' }).jestConfig).toBeUndefined();
  });
});

describe('chooseRunner', () => {
  const both = markers({ 'pytest.ini': '', 'package.json': '{"jest":{}}' });

  it('picks the only runner configured', () => {
    expect(chooseRunner(markers({ 'conftest.py': '' }), [])).toEqual({ name: 'pytest', reason: 'conftest.py' });
    expect(chooseRunner(markers({ 'jest.config.js': '' }), [])).toEqual({ name: 'jest', reason: 'jest.config.js' });
    expect(chooseRunner(markers({}), [])).toBeUndefined();
  });

  it('lets the selected files decide when both are configured, and says so', () => {
    expect(chooseRunner(both, ['/p/a.test.ts', '/p/b.test.js'])).toEqual({
      name: 'jest',
      reason: 'both pytest (pytest.ini) and jest (package.json has a "jest" key) are configured; the selected tests are .js/.ts files',
    });
    expect(chooseRunner(both, ['/p/tests/test_a.py'])?.name).toBe('pytest');
  });

  it('falls back to pytest when both are configured and no files tell, and says how to change it', () => {
    expect(chooseRunner(both, [])?.reason).toMatch(/chose pytest \(pass --runner jest to change\)$/);
  });
});

describe('isProjectRoot', () => {
  it('takes any package.json as a jest root but not as an unknown runner root', () => {
    const plainPackage = markers({ 'package.json': '{}' });
    expect(isProjectRoot(plainPackage, 'jest')).toBe(true);
    expect(isProjectRoot(plainPackage, undefined)).toBe(false);
    expect(isProjectRoot(markers({ 'conftest.py': '' }), 'pytest')).toBe(false);
  });
});
