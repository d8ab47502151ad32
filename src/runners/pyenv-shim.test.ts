import { describe, expect, it } from '@jest/globals';
import { ancestors, isPyenvShimText, shimEnvDelta } from './pyenv-shim.js';

describe('isPyenvShimText', () => {
  it("knows pyenv's shim by its hand-off to `pyenv exec`", () => {
    const shim = '#!/usr/bin/env bash\nset -e\nprogram="${0##*/}"\nexec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"\n';
    expect(isPyenvShimText(shim)).toBe(true);
  });

  it('leaves an interpreter, a venv script and other wrappers alone', () => {
    expect(isPyenvShimText('\u007fELF\u0002\u0001\u0001')).toBe(false);
    expect(isPyenvShimText('#!/bin/sh\nexec /usr/bin/python3 "$@"\n')).toBe(false);
    expect(isPyenvShimText('#!/bin/sh\n# set up by pyenv\nexec python3 "$@"\n')).toBe(false);
  });
});

describe('shimEnvDelta', () => {
  it("keeps what the shim set (PATH, PYENV_*, PWD, a hook's variables), not bash's bookkeeping or what did not change", () => {
    const before = { PATH: '/usr/bin', HOME: '/root', PYENV_ROOT: '/root/.pyenv', PWD: '/home/me', SHLVL: '1' };
    const after = {
      PATH: '/root/.pyenv/versions/3.11.7/bin:/usr/bin',
      HOME: '/root',
      PYENV_ROOT: '/root/.pyenv',
      PYENV_VERSION: '3.11.7',
      _PYENV_SHIM_PATHS_PYTHON3: '/opt/shims',
      CONDA_PREFIX: '/root/.pyenv/versions/miniconda3',
      PWD: '/work/app',
      SHLVL: '2',
      OLDPWD: '/home/me',
      _: '/root/.pyenv/versions/3.11.7/bin/python3',
    };
    expect(shimEnvDelta(before, after)).toEqual({
      PATH: '/root/.pyenv/versions/3.11.7/bin:/usr/bin',
      PYENV_VERSION: '3.11.7',
      _PYENV_SHIM_PATHS_PYTHON3: '/opt/shims',
      CONDA_PREFIX: '/root/.pyenv/versions/miniconda3',
      PWD: '/work/app',
    });
  });
});

describe('ancestors', () => {
  it('lists where pyenv looks for .python-version, the project first, / last', () => {
    expect(ancestors('/work/app/tests')).toEqual(['/work/app/tests', '/work/app', '/work', '/']);
    expect(ancestors('/')).toEqual(['/']);
  });
});
