import { describe, expect, it } from '@jest/globals';
import { ancestorsOf, enclosingNodeSuffixes, isNodeSuffixInside, makeAncestorLookup } from './expanded.js';

describe('ancestorsOf', () => {
  it('lists every directory above a path, nearest first, up to "/"', () => {
    expect([...ancestorsOf('/a/b/c.py')]).toEqual(['/a/b', '/a', '/']);
    expect([...ancestorsOf('/')]).toEqual([]);
  });
});

describe('makeAncestorLookup', () => {
  it('joins what it finds above a path, root first, and asks each directory only once', () => {
    const asked: string[] = [];
    const lookup = makeAncestorLookup((directory) => {
      asked.push(directory);
      return directory === '/a' || directory === '/a/b' ? [directory] : [];
    });
    expect(lookup('/a/b/c.py')).toEqual(['/a', '/a/b']);
    expect(lookup('/a/b/d.py')).toEqual(['/a', '/a/b']);
    expect(lookup('/x.py')).toEqual([]);
    expect(asked.sort()).toEqual(['/', '/a', '/a/b']);
  });
});

describe('enclosingNodeSuffixes', () => {
  it('gives the class of a method and the function of a parametrized case', () => {
    expect(enclosingNodeSuffixes('::TestX::test_y[1-a::b]')).toEqual(['::TestX', '::TestX::test_y']);
    expect(enclosingNodeSuffixes('::test_y')).toEqual([]);
  });
});

describe('isNodeSuffixInside', () => {
  it('is true for scopes, false for mere prefixes of characters and for equality', () => {
    expect(isNodeSuffixInside('::TestX::test_y', '::TestX')).toBe(true);
    expect(isNodeSuffixInside('::test_y[1]', '::test_y')).toBe(true);
    expect(isNodeSuffixInside('::anything', '')).toBe(true);
    expect(isNodeSuffixInside('::TestXY', '::TestX')).toBe(false);
    expect(isNodeSuffixInside('::TestX', '::TestX')).toBe(false);
  });
});
