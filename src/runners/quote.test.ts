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
