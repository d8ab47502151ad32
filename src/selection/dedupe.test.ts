import { describe, expect, it } from '@jest/globals';
import { dedupeTests } from './dedupe.js';
import type { ExpandedTest } from './expanded.js';

let nextLine = 1;
function selected(label: string, options: { isDirectory?: boolean } = {}): ExpandedTest {
  const [pathPart = '', ...rest] = label.split('::');
  const nodeSuffix = rest.length === 0 ? '' : `::${rest.join('::')}`;
  return {
    absolutePath: `/p/${pathPart}`,
    nodeSuffix,
    source: { file: 'sel.txt', line: nextLine++ },
    isDirectory: options.isDirectory ?? false,
    label,
  };
}

describe('dedupeTests', () => {
  it('keeps the first occurrence of a repeated test, in first-mention order, silently', () => {
    const b = selected('b.py');
    const a = selected('a.py');
    const result = dedupeTests([b, a, selected('b.py'), selected('a.py')]);
    expect(result.tests).toEqual([b, a]);
    expect(result.warnings).toEqual([]);
  });

  it('drops a node id whose file is selected whole, wherever the file entry stands, with a warning', () => {
    const node = selected('a.py::test_x');
    const whole = selected('a.py');
    const result = dedupeTests([node, whole]);
    expect(result.tests).toEqual([whole]);
    expect(result.warnings).toEqual([
      `sel.txt:${node.source.line}: "a.py::test_x" is already selected by "a.py" (sel.txt:${whole.source.line}); dropped so that it does not run twice`,
    ]);
  });

  it('drops files and node ids inside a selected directory, naming the broadest one', () => {
    const outer = selected('tests', { isDirectory: true });
    const inner = selected('tests/unit', { isDirectory: true });
    const result = dedupeTests([selected('tests/unit/a.py::test_x'), inner, outer, selected('tests/b.py')]);
    expect(result.tests).toEqual([outer]);
    expect(result.warnings).toHaveLength(3);
    for (const warning of result.warnings) expect(warning).toContain('already selected by "tests"');
  });

  it('drops a method when its class is selected, and a parametrized case when its function is', () => {
    const klass = selected('a.py::TestX');
    const fn = selected('b.py::test_y');
    const result = dedupeTests([selected('a.py::TestX::test_one'), klass, selected('b.py::test_y[1-2]'), fn]);
    expect(result.tests).toEqual([klass, fn]);
    expect(result.warnings).toHaveLength(2);
  });

  it('keeps node ids that only share a prefix of characters, not of scope', () => {
    const tests = [selected('a.py::TestX'), selected('a.py::TestXY::test_z'), selected('a.py::test_y1'), selected('a.py::test_y')];
    expect(dedupeTests(tests).tests).toEqual(tests);
  });

  it('does not treat a file whose name extends a directory name as inside it', () => {
    const tests = [selected('tests', { isDirectory: true }), selected('tests_extra/a.py')];
    expect(dedupeTests(tests).tests).toEqual(tests);
  });

  it('keeps each of 100,000 tests once when every one is listed twice', () => {
    const many = Array.from({ length: 100_000 }, (_, index) => selected(`tests/d${index % 100}/test_${index}.py`));
    // Its speed (linear, not quadratic) is measured by `npm run bench` (test/bench/planner.mjs).
    const result = dedupeTests([...many, ...many]);
    expect(result.tests).toHaveLength(100_000);
    expect(result.tests).toEqual(many);
  });
});
