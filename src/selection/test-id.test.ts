import { describe, expect, it } from '@jest/globals';
import { toTestId, toTestIds } from './test-id.js';

const source = { file: 'sel.txt', line: 1 };

describe('toTestId', () => {
  it('makes the path relative to the project directory and appends the node id', () => {
    expect(toTestId({ absolutePath: '/repo/tests/test_a.py', nodeSuffix: '::TestX::test_y[1]', source }, '/repo')).toBe(
      'tests/test_a.py::TestX::test_y[1]',
    );
  });

  it('keeps an absolute path for a test outside the project directory', () => {
    expect(toTestId({ absolutePath: '/elsewhere/test_b.py', nodeSuffix: '', source }, '/repo')).toBe('/elsewhere/test_b.py');
    expect(toTestId({ absolutePath: '/repo-other/test_b.py', nodeSuffix: '', source }, '/repo')).toBe('/repo-other/test_b.py');
  });

  it('names the project directory itself "."', () => {
    expect(toTestIds([{ absolutePath: '/repo', nodeSuffix: '', source }], '/repo/')).toEqual(['.']);
  });
});
