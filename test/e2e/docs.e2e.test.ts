// What is generated from the code must match it (CLI reference, lockfile), and the README
// must teach every flag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import * as options from '../../src/cli/options.js';
import { REPO } from '../helpers/run-leakhunt.js';

describe('documentation', () => {
  it('has a CLI reference that matches leakhunt --help', async () => {
    const check = await execa(process.execPath, [join(REPO, 'test/scripts/cli-reference.mjs'), '--check'], { reject: false });
    expect(check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  }, 60_000); // one `leakhunt <command> --help` per section, on a loaded machine

  it('has a lockfile that `npm ci` accepts on a fresh clone (no optional package left out)', async () => {
    const check = await execa(process.execPath, [join(REPO, 'test/scripts/complete-lockfile.mjs'), '--check'], { reject: false });
    expect(check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  });

  it('names every run flag in the README', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const tables = [
      options.selectionOptions,
      options.runnerOptions,
      options.batchOptions,
      options.budgetOptions,
      options.bisectOptions,
      options.outputOptions,
      options.reportOptions,
      options.scaleOptions,
    ];
    const flags = tables.flatMap((table) => Object.keys(table));
    const missing = flags.filter((flag) => !readme.includes(`--${flag}`));
    expect(missing).toEqual([]);
  });
});
