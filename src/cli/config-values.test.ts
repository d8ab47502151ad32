import { describe, expect, it } from '@jest/globals';
import { explicitFlags, mergeConfig, validateConfig } from './config-values.js';
import { runFlags } from './options.js';

describe('explicitFlags', () => {
  it('knows every spelling yargs accepts, and stops at --', () => {
    const argv = ['run', 'tests.txt', '--batchSize=4', '--no-bisect', '--memory', '1GB', '--', '--timeout', '3s'];
    expect([...explicitFlags(argv, runFlags)].sort()).toEqual(['batch-size', 'bisect', 'memory']);
  });
});

describe('mergeConfig', () => {
  const file = validateConfig(
    { 'batch-size': 4, memory: '300MB', out: 'hunts' },
    { path: '/p/leakhunt.config.json', display: 'leakhunt.config.json', section: undefined },
  );

  it('lays the file under the command line and over the defaults, paths relative to the file', () => {
    const parsed = { batchSize: undefined, memory: '1GB', timeout: '5m', out: '.leakhunt' };
    const { overrides, merged } = mergeConfig(runFlags, { ...parsed, 'batch-size': undefined }, new Set(['memory']), file);
    expect(overrides).toMatchObject({ batchSize: 4, out: '/p/hunts' });
    expect(overrides).not.toHaveProperty('memory');
    expect(merged.find((m) => m.key === 'memory')?.source).toBe('command line');
    expect(merged.find((m) => m.key === 'batch-size')?.source).toEqual({ file: 'leakhunt.config.json' });
  });

  it("runs a --cmd written in the file from the file's directory, as it was typed there; a --cmd typed now runs where the user stands", () => {
    const withCmd = validateConfig(
      { cmd: 'node_modules/.bin/tape {tests}' },
      { path: '/p/package.json', display: 'package.json', section: 'the "leakhunt" key' },
    );
    const fromFile = mergeConfig(runFlags, {}, new Set(), withCmd);
    expect(fromFile.overrides).toMatchObject({ cmd: 'node_modules/.bin/tape {tests}', project: '/p' });
    expect(fromFile.merged.find((m) => m.key === 'project')?.source).toEqual({ file: 'package.json' });
    expect(mergeConfig(runFlags, { cmd: 'bin/t {tests}' }, new Set(['cmd']), withCmd).overrides).not.toHaveProperty('project');
    expect(mergeConfig(runFlags, { project: 'x' }, new Set(['project']), withCmd).overrides).not.toHaveProperty('project');
  });
});
