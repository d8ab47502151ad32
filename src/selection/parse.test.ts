import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { decodeSelectionText, parseSelectionText, type SelectionEntry, stripComment } from './parse.js';

function summarize(entries: readonly SelectionEntry[]): string[] {
  return entries.map((entry) => {
    const where = `${entry.location.line}`;
    if (entry.kind === 'include') return `${where} include ${entry.target}`;
    return `${where} ${entry.kind} ${entry.pathPart}${entry.nodeSuffix === '' ? '' : ` | ${entry.nodeSuffix}`}`;
  });
}

function parseErrorOf(text: string): UsageError {
  try {
    parseSelectionText(text, 'sel.txt');
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseSelectionText', () => {
  it('gives one entry per line with its 1-based line number, skipping blank and comment lines', () => {
    const text = '# header\n\ntests/test_a.py\n   \n  # indented comment\ntests/test_b.py\n';
    expect(summarize(parseSelectionText(text, 'sel.txt'))).toEqual(['3 select tests/test_a.py', '6 select tests/test_b.py']);
  });

  it('records the file name given, for file:line messages', () => {
    const [entry] = parseSelectionText('a.py', 'ci/unit.txt');
    expect(entry?.location).toEqual({ file: 'ci/unit.txt', line: 1 });
  });

  it('accepts CRLF, LF and lone CR line endings in one file and keeps line numbers right', () => {
    const text = 'a.py\r\nb.py\rc.py\nd.py';
    expect(summarize(parseSelectionText(text, 'sel.txt'))).toEqual(['1 select a.py', '2 select b.py', '3 select c.py', '4 select d.py']);
  });

  it('drops a UTF-8 byte order mark together with CRLF endings', () => {
    const text = '\uFEFFtests/test_a.py\r\n# c\r\ntests/test_b.py\r\n';
    expect(summarize(parseSelectionText(text, 'sel.txt'))).toEqual(['1 select tests/test_a.py', '3 select tests/test_b.py']);
  });

  it('trims surrounding whitespace, tabs included', () => {
    expect(summarize(parseSelectionText('\t  tests/test_a.py \t', 'sel.txt'))).toEqual(['1 select tests/test_a.py']);
  });

  it('removes a trailing comment only when whitespace precedes the #', () => {
    expect(summarize(parseSelectionText('tests/test_a.py   # slow one\ntests/test#b.py', 'sel.txt'))).toEqual([
      '1 select tests/test_a.py',
      '2 select tests/test#b.py',
    ]);
  });

  it('keeps " #" inside the brackets of a parametrized node id', () => {
    const [entry] = parseSelectionText('tests/test_x.py::test_y[a #b]  # real comment', 'sel.txt');
    expect(entry).toMatchObject({ pathPart: 'tests/test_x.py', nodeSuffix: '::test_y[a #b]' });
  });

  it('splits a pytest node id at the first "::" and keeps the suffix byte for byte', () => {
    const [entry] = parseSelectionText('tests/test_api.py::TestX::test_y[param-1\\x]', 'sel.txt');
    expect(entry).toMatchObject({ kind: 'select', pathPart: 'tests/test_api.py', nodeSuffix: '::TestX::test_y[param-1\\x]' });
  });

  it('turns Windows separators into "/" in the path but not in the node id', () => {
    const [entry] = parseSelectionText('tests\\unit\\test_a.py::test_b[C:\\dir]', 'sel.txt');
    expect(entry).toMatchObject({ pathPart: 'tests/unit/test_a.py', nodeSuffix: '::test_b[C:\\dir]' });
  });

  it('keeps absolute paths and globs as written', () => {
    expect(summarize(parseSelectionText('/abs/tests/test_a.py\ntests/**/test_*.py', 'sel.txt'))).toEqual([
      '1 select /abs/tests/test_a.py',
      '2 select tests/**/test_*.py',
    ]);
  });

  it('reads "!pattern" as an exclude of a path, glob or node id, with or without a space', () => {
    const text = '!tests/test_slow.py\n! tests/**/test_big_*.py\n!tests/test_a.py::test_flaky';
    expect(summarize(parseSelectionText(text, 'sel.txt'))).toEqual([
      '1 exclude tests/test_slow.py',
      '2 exclude tests/**/test_big_*.py',
      '3 exclude tests/test_a.py | ::test_flaky',
    ]);
  });

  it('reads "@include file" as an include, Windows separators normalised', () => {
    expect(summarize(parseSelectionText('@include common.txt\n@include   ..\\shared\\more.txt  # note', 'sel.txt'))).toEqual([
      '1 include common.txt',
      '2 include ../shared/more.txt',
    ]);
  });

  it('keeps the entry text without comment or "!" for messages', () => {
    const [entry] = parseSelectionText('  !tests/test_slow.py  # too slow', 'sel.txt');
    expect(entry?.text).toBe('tests/test_slow.py');
  });
});

describe('parseSelectionText errors', () => {
  it.each([
    ['@include', 'sel.txt:1: "@include" needs a file name'],
    ['a.py\n!', 'sel.txt:2: "!" needs a path, glob or node id to exclude'],
    ['!@include x.txt', 'sel.txt:1: "!@include x.txt": an include cannot be excluded'],
    ['@exclude x', 'sel.txt:1: unknown directive "@exclude"'],
    ['::test_y', 'sel.txt:1: "::test_y" has a node id but no file'],
    ['tests/test_a.py::', 'sel.txt:1: "tests/test_a.py::" ends with "::" but names no test'],
  ])('refuses %j naming file:line', (text, message) => {
    const error = parseErrorOf(text);
    expect(error.message).toBe(message);
    expect(error.hint).toBeTruthy();
  });
});

describe('stripComment', () => {
  it('treats a # at the very start as a whole-line comment', () => {
    expect(stripComment('# tests/test_a.py')).toBe('');
  });
  it('does not let an unclosed "[" swallow a real comment', () => {
    expect(stripComment('tests/test_[.py  # note')).toBe('tests/test_[.py  ');
  });
  it('keeps a # that follows no whitespace', () => {
    expect(stripComment('a#b')).toBe('a#b');
  });
});

describe('decodeSelectionText', () => {
  it('decodes UTF-8 and drops the byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('tests/tést_ü.py\r\n')]);
    expect(decodeSelectionText(bytes, 'sel.txt')).toBe('tests/tést_ü.py\r\n');
  });

  it('refuses a binary file with a clear message', () => {
    expect(() => decodeSelectionText(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x00]), 'a.out')).toThrow(
      'a.out: this looks like a binary file, not a selection file (it contains NUL bytes)',
    );
  });

  it('refuses Latin-1 text naming the line and offset of the bad byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a.py\ntests/t'), 0xe9, 0x2e, 0x70, 0x79]);
    expect(() => decodeSelectionText(bytes, 'sel.txt')).toThrow('sel.txt:2: the file is not valid UTF-8 (byte 0xe9 at offset 12)');
  });

  it('points at a lone continuation byte itself', () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0x80, 0x63]);
    expect(() => decodeSelectionText(bytes, 'sel.txt')).toThrow('sel.txt:2: the file is not valid UTF-8 (byte 0x80 at offset 3)');
  });

  it('recognises UTF-16 (what Windows PowerShell writes with ">") and says how to fix it', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x61, 0x00]);
    let caught: unknown;
    try {
      decodeSelectionText(bytes, 'sel.txt');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe('sel.txt: the file is UTF-16, not UTF-8');
    expect((caught as UsageError).hint).toContain('UTF-8');
  });
});
