import { spawnSync } from 'node:child_process';
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { parse } from 'shell-quote';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../test/helpers/property-runs.js';
import { quoteCommand, quoteWord } from './quote.js';

jest.setTimeout(PROPERTY_TIMEOUT_MS);

describe('quoteCommand', () => {
  it('leaves plain paths and node ids bare', () => {
    expect(quoteCommand(['python3', '-m', 'pytest', 'tests/test_x.py::TestX::test_y'])).toBe(
      'python3 -m pytest tests/test_x.py::TestX::test_y',
    );
  });

  it('single-quotes node ids with spaces and brackets', () => {
    expect(quoteWord('tests/test_x.py::test_y[a b]')).toBe("'tests/test_x.py::test_y[a b]'");
    expect(quoteWord('tests/test_x.py::test_y[1]')).toBe("'tests/test_x.py::test_y[1]'");
  });

  it('escapes a single quote inside a word', () => {
    expect(quoteWord("it's")).toBe("'it'\\''s'");
  });

  it('quotes a program word that sh would read as an environment assignment (a real sh runs the same argv)', () => {
    const line = quoteCommand(['FOO=bar', 'sh', '-c', 'echo ran']);
    expect(line).toBe("'FOO=bar' sh -c 'echo ran'");
    // Bare, sh would set FOO and run `sh -c 'echo ran'`; quoted, it looks for a program named FOO=bar, as the argv says.
    const shell = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(shell.stdout).not.toContain('ran');
    expect(shell.status).toBe(127);
    // Arguments after the program stay bare: sh reads them as words.
    expect(quoteCommand(['env', 'A=1', 'node'])).toBe('env A=1 node');
  });

  it('quotes the empty word so it stays an argument', () => {
    expect(quoteCommand(['a', ''])).toBe("a ''");
  });

  it('reads back as the same words for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }), (words) => {
        expect(parse(quoteCommand(words))).toEqual(words);
      }),
      propertyRuns(100, 20261128),
    );
  });
});
