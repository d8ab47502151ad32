import { describe, expect, it } from '@jest/globals';
import { usageErrorOf } from '../../test/helpers/errors.js';
import { applyExcludes } from './exclude.js';
import type { ExcludeRule } from './expand.js';
import type { ExpandedTest } from './expanded.js';

let nextLine = 1;
function selected(label: string, options: { isDirectory?: boolean } = {}): ExpandedTest {
  const [pathPart = '', ...rest] = label.split('::');
  return {
    absolutePath: `/p/${pathPart}`,
    nodeSuffix: rest.length === 0 ? '' : `::${rest.join('::')}`,
    source: { file: 'sel.txt', line: nextLine++ },
    isDirectory: options.isDirectory ?? false,
    label,
  };
}

/** An exclude as resolve would give it: `paths` are what its glob matched, or its one path. */
function exclude(text: string, paths?: string[]): ExcludeRule {
  const [pathPart = '', ...rest] = text.split('::');
  const nodeSuffix = rest.length === 0 ? '' : `::${rest.join('::')}`;
  const entry = { kind: 'exclude' as const, text, pathPart, nodeSuffix, location: { file: 'sel.txt', line: 90 + nextLine++ } };
  return { sourced: { entry, baseDir: '/p' }, paths: (paths ?? [pathPart]).map((p) => `/p/${p}`), nodeSuffix };
}

describe('applyExcludes', () => {
  it('removes a selected file and every node id inside it, keeping the rest in order', () => {
    const [a, b, c] = [selected('a.py'), selected('b.py::test_x'), selected('c.py')];
    const result = applyExcludes([a, selected('b.py'), b, c], [exclude('b.py')]);
    expect(result.tests).toEqual([a, c]);
    expect(result.warnings).toEqual([]);
  });

  it('removes everything under an excluded directory, and a selected directory itself', () => {
    const keep = selected('other/a.py');
    const result = applyExcludes(
      [selected('slow/a.py'), selected('slow/deep/b.py::t'), selected('slow', { isDirectory: true }), keep],
      [exclude('slow')],
    );
    expect(result.tests).toEqual([keep]);
  });

  it('applies a glob exclude through the paths it matched', () => {
    const keep = selected('tests/test_fast.py');
    const result = applyExcludes(
      [selected('tests/test_big_1.py'), keep, selected('tests/test_big_2.py')],
      [exclude('tests/test_big_*.py', ['tests/test_big_1.py', 'tests/test_big_2.py'])],
    );
    expect(result.tests).toEqual([keep]);
  });

  it('removes a node id and the tests inside its scope, but not neighbours sharing a prefix', () => {
    const keep = [selected('a.py::TestXY::test_1'), selected('a.py::test_y2')];
    const drop = [selected('a.py::TestX::test_1'), selected('a.py::test_y[1]'), selected('a.py::test_y')];
    const result = applyExcludes([...drop, ...keep], [exclude('a.py::TestX'), exclude('a.py::test_y')]);
    expect(result.tests).toEqual(keep);
  });

  it('warns about an exclude that removes nothing, naming file:line', () => {
    const rule = exclude('gone.py');
    const result = applyExcludes([selected('a.py')], [rule]);
    expect(result.tests).toHaveLength(1);
    expect(result.warnings).toEqual([
      `sel.txt:${rule.sourced.entry.location.line}: "!gone.py" removes nothing: it matches no selected test`,
    ]);
  });

  it('does not warn about an exclude that shares its work with another one', () => {
    const result = applyExcludes([selected('tests/a.py')], [exclude('tests/a.py'), exclude('tests')]);
    expect(result.tests).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('refuses to carve a file out of a selected directory, naming both lines', () => {
    const directory = selected('tests', { isDirectory: true });
    const rule = exclude('tests/test_slow.py');
    const error = usageErrorOf(() => applyExcludes([directory], [rule]));
    expect(error.message).toBe(
      `sel.txt:${rule.sourced.entry.location.line}: "!tests/test_slow.py" would remove part of "tests" ` +
        `(sel.txt:${directory.source.line}), but that directory goes to the runner whole`,
    );
    expect(error.hint).toContain('glob');
  });

  it('refuses to carve a node id out of a file selected whole', () => {
    const error = usageErrorOf(() => applyExcludes([selected('a.py')], [exclude('a.py::test_flaky')]));
    expect(error.message).toContain('would remove part of "a.py"');
    expect(error.message).toContain('that file goes to the runner whole');
  });

  it('allows an exclude inside a directory that is itself excluded', () => {
    const keep = selected('b.py');
    const result = applyExcludes([selected('tests', { isDirectory: true }), keep], [exclude('tests'), exclude('tests/a.py')]);
    expect(result.tests).toEqual([keep]);
    expect(result.warnings).toHaveLength(1); // "!tests/a.py" removed nothing the other did not
  });
});
