import { describe, expect, it } from '@jest/globals';
import { usageErrorOf } from '../../test/helpers/errors.js';
import { collectSelectionEntries, type ReadResult } from './include.js';

/** An in-memory filesystem: absolute path → text, or "dir". */
function reader(files: Record<string, string>): (absolutePath: string) => ReadResult {
  return (absolutePath) => {
    const content = files[absolutePath];
    if (content === undefined) return { problem: 'missing' };
    if (content === 'dir') return { problem: 'directory' };
    return { bytes: new TextEncoder().encode(content) };
  };
}

function collect(files: Record<string, string>, top = 'sel/top.txt', rootDir?: string): string[] {
  const source = collectSelectionEntries(top, { rootDir, cwd: '/w', readFile: reader(files) });
  return source.entries.map(
    ({ entry, baseDir }) => `${entry.location.file}:${entry.location.line} ${entry.kind} ${entry.pathPart} @ ${baseDir}`,
  );
}

describe('collectSelectionEntries', () => {
  it('inlines included files in reading order, each relative to its own directory', () => {
    expect(
      collect({
        '/w/sel/top.txt': 'a.py\n@include ../shared/common.txt\nz.py',
        '/w/shared/common.txt': 'b.py\n@include deeper/more.txt\n!c.py',
        '/w/shared/deeper/more.txt': 'd.py',
      }),
    ).toEqual([
      'sel/top.txt:1 select a.py @ /w/sel',
      'shared/common.txt:1 select b.py @ /w/shared',
      'shared/deeper/more.txt:1 select d.py @ /w/shared/deeper',
      'shared/common.txt:3 exclude c.py @ /w/shared',
      'sel/top.txt:3 select z.py @ /w/sel',
    ]);
  });

  it('makes every entry relative to --root when given, while includes still follow the including file', () => {
    expect(collect({ '/w/sel/top.txt': '@include inc.txt', '/w/sel/inc.txt': 'tests/a.py' }, 'sel/top.txt', '/repo')).toEqual([
      'sel/inc.txt:1 select tests/a.py @ /repo',
    ]);
  });

  it('allows the same file to be included twice when that is not a cycle', () => {
    const entries = collect({ '/w/sel/top.txt': '@include c.txt\n@include c.txt', '/w/sel/c.txt': 'a.py' });
    expect(entries).toHaveLength(2);
  });

  it('refuses a cycle, naming every include line of the loop', () => {
    const error = usageErrorOf(() =>
      collect({
        '/w/sel/top.txt': 'a.py\n@include b.txt',
        '/w/sel/b.txt': '# b\n@include c.txt',
        '/w/sel/c.txt': '@include b.txt',
      }),
    );
    // top.txt leads into the loop but is not part of it, so it is not named.
    expect(error.message).toBe(
      'sel/c.txt:1: "@include" makes a cycle: ' + 'sel/b.txt:2 includes sel/c.txt, sel/c.txt:1 includes sel/b.txt',
    );
  });

  it('refuses a file that includes itself', () => {
    const error = usageErrorOf(() => collect({ '/w/sel/top.txt': '@include ./top.txt' }));
    expect(error.message).toBe('sel/top.txt:1: "@include" makes a cycle: sel/top.txt:1 includes sel/top.txt');
  });

  it('names file:line of an include whose file does not exist', () => {
    const error = usageErrorOf(() => collect({ '/w/sel/top.txt': '\n@include nope.txt' }));
    expect(error.message).toBe('sel/top.txt:2: included file "sel/nope.txt" does not exist');
    expect(error.hint).toContain('/w/sel/nope.txt');
  });

  it('names the selection file itself when it is missing or a directory', () => {
    expect(usageErrorOf(() => collect({})).message).toBe('selection file "sel/top.txt" does not exist');
    expect(usageErrorOf(() => collect({ '/w/sel/top.txt': 'dir' })).message).toBe(
      'selection file "sel/top.txt" is a directory, not a selection file',
    );
  });

  it("reports a syntax error inside an included file with that file's name and line", () => {
    const error = usageErrorOf(() => collect({ '/w/sel/top.txt': '@include inc.txt', '/w/sel/inc.txt': 'a.py\n\n!' }));
    expect(error.message).toBe('sel/inc.txt:3: "!" needs a path, glob or node id to exclude');
  });
});
