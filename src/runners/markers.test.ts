import { describe, expect, it } from '@jest/globals';
import { type MarkerFile, readMarkers } from './markers.js';

const markers = (files: Partial<Record<MarkerFile, string>>) => readMarkers(new Map(Object.entries(files)) as Map<MarkerFile, string>);

describe('readMarkers', () => {
  it('takes pytest.ini and pytest.toml as pytest configuration even when empty', () => {
    expect(markers({ 'pytest.ini': '' }).pytestConfig).toBe('pytest.ini');
    expect(markers({ 'pytest.toml': '', 'pytest.ini': '' }).pytestConfig).toBe('pytest.toml');
  });

  it('takes pyproject.toml, setup.cfg and tox.ini only with their pytest section', () => {
    expect(markers({ 'pyproject.toml': '[tool.pytest.ini_options]\n' }).pytestConfig).toBe('pyproject.toml has [tool.pytest.ini_options]');
    expect(markers({ 'pyproject.toml': '[tool.pytest]\naddopts = ["-q"]\n' }).pytestConfig).toBe('pyproject.toml has [tool.pytest]');
    expect(markers({ 'setup.cfg': '[metadata]\n[tool:pytest]\n' }).pytestConfig).toBe('setup.cfg has [tool:pytest]');
    expect(markers({ 'tox.ini': '[tox]\n[pytest]\naddopts = -q\n' }).pytestConfig).toBe('tox.ini has [pytest]');
    expect(markers({ 'tox.ini': '[tox]\nenvlist = py311\n' }).pytestConfig).toBeUndefined();
  });

  it('reads TOML and INI as documents: a section in a comment or a string is not a section', () => {
    const commented = '[project]\nname = "x"\n# [tool.pytest.ini_options]\ndescription = """\n[tool.pytest.ini_options]\n"""\n';
    expect(markers({ 'pyproject.toml': commented })).toMatchObject({ pytestConfig: undefined, pyproject: true });
    expect(markers({ 'pyproject.toml': 'tool.pytest.ini_options.addopts = "-q"\n' }).pytestConfig).toBe(
      'pyproject.toml has [tool.pytest.ini_options]',
    );
    expect(markers({ 'setup.cfg': '[metadata]\n; [tool:pytest]\nname = x\n' }).pytestConfig).toBeUndefined();
    expect(markers({ 'tox.ini': '[testenv]\ncommands =\n    pytest\n    [pytest]\n' }).pytestConfig).toBeUndefined();
  });

  it('keeps a pyproject.toml without a pytest table, setup.py and conftest.py as signs, not configuration', () => {
    expect(markers({ 'pyproject.toml': '[tool.black]\n', 'setup.py': '', 'conftest.py': '' })).toMatchObject({
      pytestConfig: undefined,
      pyproject: true,
      setupPy: true,
      conftest: true,
    });
    expect(markers({ 'pyproject.toml': 'not = = toml' })).toMatchObject({ pytestConfig: undefined, pyproject: true });
  });

  it('finds jest in a jest.config file, a "jest" key or a dependency; any package.json is where jest would run', () => {
    expect(markers({ 'jest.config.mjs': 'export default {}' })).toMatchObject({ jestConfig: 'jest.config.mjs', jestRoot: true });
    expect(markers({ 'package.json': '{"jest":{}}' }).jestConfig).toBe('package.json has a "jest" key');
    expect(markers({ 'package.json': '{"devDependencies":{"jest":"^30"}}' }).jestConfig).toBe('package.json depends on jest');
    expect(markers({ 'package.json': '{"devDependencies":{"vitest":"^3"}}' })).toMatchObject({ jestConfig: undefined, jestRoot: true });
    expect(markers({ 'package.json': '{broken' })).toMatchObject({ jestConfig: undefined, jestRoot: true });
    expect(markers({})).toMatchObject({ jestConfig: undefined, jestRoot: false });
  });
});
