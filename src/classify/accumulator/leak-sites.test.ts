// Which allocation lines an accumulator finding shows: every contributor file gets its line,
// not only the file whose lines happen to be the largest.
import { describe, expect, it } from '@jest/globals';
import { leakSites } from './leak-sites.js';

const MIB = 1024 ** 2;
const site = (where: string, mib: number) => ({ site: where, sizeBytes: mib * MIB, count: 10 });

describe('leak sites of an accumulator', () => {
  it('shows a line of every contributor file even when one file holds the largest lines', () => {
    // As QA met it on simplejson: file a's five lines outgrew b's and c's (sites in the
    // user's frame, like the contributor files: pipeline/bisect-phase.ts translates them).
    const grown = [
      ...[10, 11, 12, 13, 14].map((line) => site(`simplejson/tests/test_qa_cache_a.py:${line}`, 16)),
      site('simplejson/tests/test_qa_cache_b.py:9', 8),
      site('simplejson/tests/test_qa_cache_c.py:9', 8),
      site('simplejson/decoder.py:40', 0.5),
    ];
    const files = ['simplejson/tests/test_qa_cache_a.py', 'simplejson/tests/test_qa_cache_b.py', 'simplejson/tests/test_qa_cache_c.py'];
    const shown = leakSites(grown, files).map((s) => s.site);
    expect(shown.slice(0, 3)).toEqual([
      'simplejson/tests/test_qa_cache_a.py:10',
      'simplejson/tests/test_qa_cache_b.py:9',
      'simplejson/tests/test_qa_cache_c.py:9',
    ]);
    expect(shown.length).toBe(5);
  });

  it('puts the registry line every contributor feeds first, then each file', () => {
    const grown = [
      site('tests/test_a.py:5', 1),
      site('shop/registry.py:6', 96),
      site('tests/test_b.py:5', 1),
      site('tests/test_c.py:5', 1),
    ];
    const shown = leakSites(grown, ['tests/test_a.py', 'tests/test_b.py', 'tests/test_c.py']).map((s) => s.site);
    expect(shown).toEqual(['shop/registry.py:6', 'tests/test_a.py:5', 'tests/test_b.py:5', 'tests/test_c.py:5']);
  });

  it('drops a few KiB the interpreter cached on the way', () => {
    expect(leakSites([site('shop/registry.py:6', 96), site('re/_compiler.py:1', 0.1)], ['tests/test_a.py']).map((s) => s.site)).toEqual([
      'shop/registry.py:6',
    ]);
  });
});
