// What `collect` says it found must count what it prints: files when it lists files.
import { describe, expect, it } from '@jest/globals';
import { collectedCountText, formatSelection } from './collect.js';

const PYTEST_IDS = ['tests/a.py::test_1', 'tests/a.py::test_2', 'tests/a.py::test_3', 'tests/b.py::test_4'];
const from = { runner: 'pytest', projectDir: '/p', base: '/p', toFile: false };
const linesOf = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('collectedCountText', () => {
  it('says pytest found 4 tests in 2 files when the selection prints 2 file lines', () => {
    expect(linesOf(formatSelection(PYTEST_IDS, 'file', from))).toHaveLength(2);
    expect(collectedCountText(PYTEST_IDS, 'file')).toBe('4 tests in 2 files, listed by file (--tests lists each test)');
  });

  it('says listed by test with --tests, one line per test', () => {
    expect(linesOf(formatSelection(PYTEST_IDS, 'test', from))).toHaveLength(4);
    expect(collectedCountText(PYTEST_IDS, 'test')).toBe('4 tests in 2 files, listed by test');
  });

  it('counts files for a runner that lists files, and says when nothing was found', () => {
    expect(collectedCountText(['a.test.js', 'b.test.js'], 'file')).toBe('2 files');
    expect(collectedCountText(['a.test.js'], 'file')).toBe('1 file');
    expect(collectedCountText([], 'file')).toBe('no tests');
  });
});
