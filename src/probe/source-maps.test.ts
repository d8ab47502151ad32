import { describe, expect, it } from '@jest/globals';
import { encode } from '@jridgewell/sourcemap-codec';
import { parseProbeSites } from './records.js';
import { sitesInSources } from './source-maps.js';

// What coverage instrumentation does to a file: its functions move down (here by 300 lines).
// Segments are [generated column, source index, source line, source column], 0-based.
const mappings: number[][][] = Array.from({ length: 320 }, () => []);
mappings[308] = [[16, 0, 8, 0]]; // generated line 309, column 16 → src/metrics.js line 9
mappings[311] = [[4, 0, 8, 2]]; // generated line 312, column 4 → also line 9
const MAP = { version: 3, sources: ['src/metrics.js'], names: [], mappings: encode(mappings as never) };

describe('sitesInSources', () => {
  it('moves a sampled site to its line in the user file, adding up sites that land on the same line and function', () => {
    const sites = sitesInSources(
      [
        { site: 'src/metrics.js:309', column: 16, function: 'observe', sizeBytes: 30, count: 3, sampled: true },
        { site: 'src/metrics.js:312', column: 4, function: 'observe', sizeBytes: 12, count: 1, sampled: true },
        { site: 'src/orders.js:40', column: 2, function: 'placeOrder', sizeBytes: 20, count: 2, sampled: true },
      ],
      new Map([['src/metrics.js', MAP]]),
    );
    expect(sites).toEqual([
      { site: 'src/metrics.js:9', function: 'observe', sizeBytes: 42, count: 4, sampled: true },
      // No map for the file (not transformed): the line V8 gave is the user's line.
      { site: 'src/orders.js:40', function: 'placeOrder', sizeBytes: 20, count: 2, sampled: true },
    ]);
  });

  it("leaves pytest's sites (no column) as they are, largest first", () => {
    const sites = [
      { site: 'shop/a.py:3', sizeBytes: 1, count: 1 },
      { site: 'shop/registry.py:6', sizeBytes: 9, count: 2 },
    ];
    expect(sitesInSources(sites, new Map())).toEqual([sites[1], sites[0]]);
  });

  it('keeps the generated line when a map cannot be read or has no mapping there', () => {
    const sites = sitesInSources(
      [
        { site: 'src/bad.js:7', column: 0, sizeBytes: 5, count: 1, sampled: true },
        { site: 'src/metrics.js:2', column: 0, sizeBytes: 4, count: 1, sampled: true },
      ],
      new Map<string, unknown>([
        ['src/bad.js', { version: 3, sources: 'not a list', mappings: 42 }],
        ['src/metrics.js', MAP],
      ]),
    );
    expect(sites.map((s) => s.site)).toEqual(['src/bad.js:7', 'src/metrics.js:2']);
  });
});

describe('parseProbeSites with the jest probe’s source maps', () => {
  it('maps the last sites of the process through the maps that process wrote', () => {
    const text = [
      JSON.stringify({ event: 'sourcemap', pid: 7, file: 'src/metrics.js', map: MAP }),
      JSON.stringify({
        event: 'sites',
        pid: 7,
        test: 'a > x',
        sites: [{ site: 'src/metrics.js:309', column: 16, function: 'observe', sizeBytes: 10, count: 1, sampled: true }],
      }),
      JSON.stringify({
        event: 'sites',
        pid: 7,
        test: 'a > y',
        sites: [{ site: 'src/metrics.js:309', column: 16, function: 'observe', sizeBytes: 20, count: 2, sampled: true }],
      }),
    ].join('\n');
    expect(parseProbeSites(text)).toEqual([{ site: 'src/metrics.js:9', function: 'observe', sizeBytes: 20, count: 2, sampled: true }]);
  });
});
