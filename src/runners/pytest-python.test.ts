// Which python runs pytest: the resolution order on real temporary folders (it checks files).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EnvironmentError } from '../errors.js';
import { resolvePythonInterpreter } from './pytest-python.js';

let root: string;
let project: string;
let bin: string;
let venv: string;

async function executable(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'leakhunt-python-'));
  project = join(root, 'project');
  bin = join(root, 'bin');
  venv = join(root, 'activated');
  await executable(join(bin, 'python3'));
  await executable(join(venv, 'bin', 'python'));
  await mkdir(project, { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolvePythonInterpreter', () => {
  it('takes --python first, shown as given', () => {
    expect(resolvePythonInterpreter({ projectDir: project, python: '/usr/bin/python3', virtualEnv: venv, pathEnv: bin })).toEqual({
      path: '/usr/bin/python3',
      source: 'flag',
      display: '/usr/bin/python3',
    });
  });

  it('looks a bare --python name up on PATH but shows the name', () => {
    expect(resolvePythonInterpreter({ projectDir: project, python: 'python3', pathEnv: bin, virtualEnv: undefined })).toEqual({
      path: join(bin, 'python3'),
      source: 'flag',
      display: 'python3',
    });
  });

  it("uses $VIRTUAL_ENV/bin/python before the project's venv and PATH", () => {
    expect(resolvePythonInterpreter({ projectDir: project, virtualEnv: venv, pathEnv: bin }).path).toBe(join(venv, 'bin', 'python'));
  });

  it("uses the project's .venv, shown relative to the project, when no virtualenv is active", async () => {
    await executable(join(project, '.venv', 'bin', 'python'));
    expect(resolvePythonInterpreter({ projectDir: project, virtualEnv: undefined, pathEnv: bin })).toEqual({
      path: join(project, '.venv', 'bin', 'python'),
      source: 'project-venv',
      display: '.venv/bin/python',
    });
    await rm(join(project, '.venv'), { recursive: true });
  });

  it('falls back to python3 on PATH, shown as python3, also when $VIRTUAL_ENV names a deleted folder', () => {
    expect(resolvePythonInterpreter({ projectDir: project, virtualEnv: join(root, 'gone'), pathEnv: bin })).toEqual({
      path: join(bin, 'python3'),
      source: 'path',
      display: 'python3',
    });
  });

  it('throws an EnvironmentError naming a missing --python or a missing interpreter', () => {
    expect(() => resolvePythonInterpreter({ projectDir: project, python: '/nonexistent/python9', pathEnv: bin })).toThrow(
      '--python /nonexistent/python9: /nonexistent/python9 is not an executable file',
    );
    expect(() => resolvePythonInterpreter({ projectDir: project, python: 'python9', pathEnv: bin })).toThrow(EnvironmentError);
    expect(() => resolvePythonInterpreter({ projectDir: project, virtualEnv: undefined, pathEnv: join(root, 'empty') })).toThrow(
      EnvironmentError,
    );
  });
});
