// Real project layouts (test/fixtures/layouts/), each copied into a repository of its own and
// given to the built CLI from where a user would stand: the runner and the directory it runs
// in must follow the runners' own rules (docs/runners.md, "Detection").
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { copyLayout, type LayoutCopy } from '../helpers/layouts.js';
import { execa } from 'execa';
import { CLI } from '../helpers/run-leakhunt.js';

interface Layout {
  readonly name: string;
  /** Where the user stands, inside the copy. */
  readonly cwd: string;
  /** The selection, from there. */
  readonly selection: string;
  readonly runner: 'pytest' | 'jest';
  /** Where the runner must run, inside the copy. */
  readonly projectDir: string;
  readonly why: RegExp;
}

const LAYOUTS: readonly Layout[] = [
  { name: 'pyproject-only', cwd: '.', selection: 'selection.txt', runner: 'pytest', projectDir: '.', why: /pyproject\.toml in .* \(no pytest table/ },
  { name: 'cfg-no-pytest', cwd: '.', selection: 'selection.txt', runner: 'pytest', projectDir: '.', why: /pyproject\.toml in / },
  { name: 'src-layout', cwd: '.', selection: 'selection.txt', runner: 'pytest', projectDir: '.', why: /pyproject\.toml has \[tool\.pytest\.ini_options\]/ },
  { name: 'in-package', cwd: '.', selection: 'selection.txt', runner: 'pytest', projectDir: '.', why: /setup\.py in / },
  { name: 'rootdir-above', cwd: 'tests', selection: 'selection.txt', runner: 'pytest', projectDir: '.', why: /setup\.cfg has \[tool:pytest\]/ },
  { name: 'jest-monorepo', cwd: '.', selection: 'selection.txt', runner: 'jest', projectDir: 'packages/cart', why: /package\.json depends on jest in / },
];

const copies: LayoutCopy[] = [];
// `leakhunt plan` runs nothing: it only detects, resolves and plans.
const plan = (args: readonly string[], cwd: string) =>
  execa(process.execPath, [CLI, 'plan', ...args], { cwd, reject: false, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' }, extendEnv: false });

afterAll(async () => { await Promise.all(copies.map((copy) => copy.remove())); });

describe('detection on real project layouts', () => {
  it.each(LAYOUTS)('$name: $runner, run in $projectDir', async (layout) => {
    const copy = await copyLayout(layout.name, layout.runner === 'jest');
    copies.push(copy);
    const cwd = join(copy.dir, layout.cwd);
    const json = await plan([layout.selection, '--json'], cwd);
    expect(json.stderr).toBe('');
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ runner: layout.runner, projectDir: join(copy.dir, layout.projectDir) });
    const text = await plan([layout.selection], cwd);
    expect(text.stderr).toMatch(layout.why);
  }, 60_000);
});
