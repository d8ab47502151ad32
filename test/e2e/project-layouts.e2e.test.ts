// Real project layouts (test/fixtures/layouts/), each copied into a repository of its own and
// given to the built CLI from where a user would stand: the runner and the directory it runs
// in must follow the runners' own rules (docs/runners.md, "Detection").

import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { copyLayout, type LayoutCopy } from '../helpers/layouts.js';
import { CLI, runLeakhunt } from '../helpers/run-leakhunt.js';

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
  /** The one test that fails alone, as the selection spells it, and the runner's spelling when it differs. */
  readonly culprit: string;
  readonly runnerId?: string;
  /** The failing test inside it, as the user's frame spells it (named in the finding's evidence). */
  readonly failing: string;
  /** The repro line, pasted where the user stands. */
  readonly repro: string;
  readonly args?: readonly string[];
}

const LAYOUTS: readonly Layout[] = [
  {
    name: 'pyproject-only',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /pyproject\.toml in .* \(no pytest table/,
    culprit: 'tests/test_stats.py::StatsTests',
    failing: 'tests/test_stats.py::StatsTests::test_median',
    repro: 'python3 -m pytest tests/test_stats.py::StatsTests',
  },
  {
    name: 'cfg-no-pytest',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /pyproject\.toml in /,
    culprit: 'tests/test_window_cache.py::WindowCacheTests',
    failing: 'tests/test_window_cache.py::WindowCacheTests::test_evict',
    repro: 'python3 -m pytest tests/test_window_cache.py::WindowCacheTests',
  },
  // The reported case: forced with --runner pytest, it ran in tests/ and printed `cd tests && …` and runner-frame ids.
  {
    name: 'cfg-no-pytest',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /pyproject\.toml in /,
    args: ['--runner', 'pytest'],
    culprit: 'tests/test_window_cache.py::WindowCacheTests',
    failing: 'tests/test_window_cache.py::WindowCacheTests::test_evict',
    repro: 'python3 -m pytest tests/test_window_cache.py::WindowCacheTests',
  },
  {
    name: 'src-layout',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /pyproject\.toml has \[tool\.pytest\.ini_options\]/,
    culprit: 'tests/test_shop.py',
    failing: 'tests/test_shop.py::test_total_with_tax',
    repro: 'python3 -m pytest tests/test_shop.py',
  },
  {
    name: 'in-package',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /setup\.py in /,
    culprit: 'geo/tests/test_area.py::test_rectangle',
    failing: 'geo/tests/test_area.py::test_rectangle',
    repro: 'python3 -m pytest geo/tests/test_area.py::test_rectangle',
  },
  {
    name: 'rootdir-above',
    cwd: 'tests',
    selection: 'selection.txt',
    runner: 'pytest',
    projectDir: '.',
    why: /setup\.cfg has \[tool:pytest\]/,
    culprit: 'test_api.py',
    runnerId: 'tests/test_api.py',
    failing: 'test_api.py::test_url_is_secure',
    repro: 'python3 -m pytest --rootdir .. test_api.py',
  },
  {
    name: 'jest-monorepo',
    cwd: '.',
    selection: 'selection.txt',
    runner: 'jest',
    projectDir: 'packages/cart',
    why: /package\.json depends on jest in /,
    culprit: 'packages/cart/checkout.test.js',
    runnerId: 'checkout.test.js',
    failing: 'packages/cart/checkout.test.js',
    repro: 'cd packages/cart && npx jest --runInBand --runTestsByPath checkout.test.js',
  },
];

const copies: LayoutCopy[] = [];
// `leakhunt plan` runs nothing: it only detects, resolves and plans.
const plan = (args: readonly string[], cwd: string) =>
  execa(process.execPath, [CLI, 'plan', ...args], {
    cwd,
    reject: false,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    extendEnv: false,
  });

afterAll(async () => {
  await Promise.all(copies.map((copy) => copy.remove()));
});

describe('detection on real project layouts', () => {
  it.each(LAYOUTS)(
    '$name $args: $runner, run in $projectDir',
    async (layout) => {
      const copy = await copyLayout(layout.name, layout.runner === 'jest');
      copies.push(copy);
      const cwd = join(copy.dir, layout.cwd);
      const json = await plan([layout.selection, ...(layout.args ?? []), '--json'], cwd);
      expect(json.stderr).toBe('');
      expect(json.exitCode).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ runner: layout.runner, projectDir: join(copy.dir, layout.projectDir) });
      const text = await plan([layout.selection, ...(layout.args ?? [])], cwd);
      expect(text.stderr).toMatch(layout.why);
    },
    60_000,
  );
});

describe("the user's frame on real project layouts", () => {
  it.each(LAYOUTS)(
    '$name $args: names $culprit as the selection does, with a repro that works where the user stands',
    async (layout) => {
      const copy = await copyLayout(layout.name, layout.runner === 'jest');
      copies.push(copy);
      const cwd = join(copy.dir, layout.cwd);
      const run = await runLeakhunt(['run', layout.selection, ...(layout.args ?? []), '--memory', '300MB', '--timeout', '30s'], { cwd });
      expect(run.exitCode).toBe(1);
      const [finding, ...others] = run.report?.findings ?? [];
      expect(others).toEqual([]);
      expect(finding).toMatchObject({ kind: 'failing', culprits: [layout.culprit], repro: layout.repro });
      expect(finding?.because).toContain(layout.failing);
      expect(finding?.runnerIds).toEqual(layout.runnerId === undefined ? undefined : { [layout.culprit]: layout.runnerId });
      expect(run.report?.selection.root).toBe(cwd);
      // Every id of every run is the user's: what ran is what the selection listed, and each
      // failing test the runner reported is spelled from there too.
      const selected = run.report!.batches.flatMap((batch) => batch.tests);
      expect(selected).toContain(layout.culprit);
      expect(run.report!.runs.every((r) => r.tests.every((id) => selected.includes(id)))).toBe(true);
      expect(run.report!.runs.flatMap((r) => r.results?.failing ?? [])).toContain(layout.failing);
      expect(run.stdout).toContain(`failing  ${layout.culprit}`);
      expect(run.report!.runs.length).toBeLessThanOrEqual(4); // batch, confirmation, and the test alone (after its neighbour)

      // Pasted where the user stands, the repro fails the same way.
      const pasted = await execa('sh', ['-c', finding!.repro], {
        cwd,
        reject: false,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' },
        extendEnv: false,
      });
      expect(pasted.exitCode).toBe(1);
      expect(`${pasted.stdout}\n${pasted.stderr}`).toMatch(
        layout.runner === 'jest' ? /charges the total/ : new RegExp(`${layout.failing.split('::').pop()!}`),
      );
    },
    120_000,
  );
});
