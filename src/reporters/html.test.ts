import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { compareWithBaseline } from '../report/baseline.js';
import { bisectionTree } from './html/bisection.js';
import { thin } from './html/charts.js';
import { renderHtml } from './html/page.js';

const hunt = fixtureReport('hunt-pytest');
const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('renderHtml', () => {
  const page = renderHtml(hunt, { color: false, width: 80 });

  it('draws a memory chart per batch, with the budget line and a kill mark where leakhunt killed', () => {
    expect(count(page, /<svg class="chart memory" data-points="[1-9]\d*"/g)).toBe(5);
    expect(count(page, /<line class="budget"/g)).toBe(5);
    expect(count(page, /<g class="kill">/g)).toBe(2); // over-memory and timeout; crashed was not our kill
    expect(page).toContain('killed: over-memory at 9.2 s, 301 MiB');
  });

  it('draws per-test bars only for runs with probe records', () => {
    expect(count(page, /<svg class="chart per-test" data-points="(\d+)"/g)).toBe(3);
    expect(count(page, /<rect class="bar/g)).toBe(3 + 1 + 3);
  });

  it('shows the bisection of each failing batch as a tree', () => {
    expect(page).toMatch(/<li data-run="b2">[\s\S]*?<ul><li data-run="b2-c1">/);
    expect(count(page, /<li data-run="/g)).toBe(hunt.runs.length - 1); // batch 1 ran once: no tree
  });

  it('is self-contained: no script, no external resource, a CSP that forbids fetching', () => {
    expect(page).not.toMatch(/<script|<link|src="http|url\(/i);
    expect(page).toContain('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"');
    expect(page).toContain('@media (prefers-color-scheme: dark)');
  });

  it('escapes test ids and marks new findings against a baseline', () => {
    const nasty = { ...hunt.findings[0]!, culprits: ['tests/x.py::test_<script>'] };
    expect(renderHtml({ ...hunt, findings: [nasty] }, { color: false, width: 80 })).toContain('tests/x.py::test_&lt;script&gt;');
    const baseline = compareWithBaseline(hunt, fixtureReport('baseline-pytest'), { peakRegressionRatio: 1.2 });
    const withBaseline = renderHtml(hunt, { color: false, width: 80, baseline });
    expect(count(withBaseline, /<span class="badge new">new<\/span> <b>/g)).toBe(3);
    expect(count(withBaseline, /<table class="regressions">/g)).toBe(1);
  });

  it('charts only problem batches of a large hunt', () => {
    const big = renderHtml(fixtureReport('many-batches'), { color: false, width: 80 });
    expect(count(big, /<svg class="chart memory"/g)).toBe(8);
    expect(count(big, /<tr><td class="num"><a href="#batch-/g)).toBe(200);
  });
});

describe('chart helpers', () => {
  it('thins a series to the limit and keeps its peak and last sample', () => {
    const series = Array.from({ length: 5000 }, (_, i) => ({ tMs: i * 10, bytes: i === 1234 ? 999 : i % 7 }));
    const kept = thin(series, 600);
    expect(kept.length).toBeLessThanOrEqual(600);
    expect(kept.some((s) => s.bytes === 999)).toBe(true);
    expect(kept[kept.length - 1]).toEqual(series[4999]);
  });

  it('hangs each probe under the smallest earlier run that contains its tests', () => {
    const roots = bisectionTree(hunt.runs.filter((r) => r.batchIndex === 4));
    const shape = (nodes: ReturnType<typeof bisectionTree>): unknown => nodes.map((n) => [n.run.runId, shape(n.children)]);
    expect(shape(roots)).toEqual([['b4', [['b4-c1', []], ['b4-p1', []], ['b4-p2', []], ['b4-p3', []]]]]);
  });
});
