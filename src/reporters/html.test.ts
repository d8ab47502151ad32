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
    expect(page).toContain('killed: over-memory at 9.2 s, peak 301 MiB');
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
    const escaped = renderHtml({ ...hunt, findings: [nasty] }, { color: false, width: 80 });
    expect(escaped).toContain('<code>tests/<wbr>x.py::<wbr>test_&lt;script&gt;</code>');
    expect(escaped).not.toContain('<script');
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

describe('renderHtml with what the probes record', () => {
  const probes = fixtureReport('hunt-probes');
  const page = renderHtml(probes, { color: false, width: 80 });
  const section = (from: string, to: string): string => page.slice(page.indexOf(from), page.indexOf(to, page.indexOf(from)));

  it('shows where a hang was stuck and folds its stack dump, in the culprits and in its batch', () => {
    const culprits = section('<h2>Culprits</h2>', '<h2>Batches</h2>');
    expect(culprits).toContain('<span class="muted">at</span> <code>tests/test_network.py line 21 (test_server_hang) → socket.recv</code>');
    expect(culprits).toMatch(
      /<details class="stack"><summary>stack dump when the time ran out<\/summary><pre>Timeout \(0:00:19\)![\s\S]*line 21 in test_server_hang/,
    );
    expect(section('id="batch-3"', '</section>')).toContain(
      '<p class="where"><b>Hung</b> in <code>tests/test_network.py::TestClient::test_server_hang</code>',
    );
  });

  it('puts warning-severity findings in their own table, marked, apart from failures', () => {
    const failures = section('<table class="findings">', '</table>');
    const warnings = section('<table class="findings warnings">', '</table>');
    expect(count(failures, /<tr class="finding failure">/g)).toBe(5);
    expect(count(failures, /class="finding warning"/g)).toBe(0);
    expect(count(warnings, /<tr class="finding warning">/g)).toBe(1);
    expect(warnings).toContain('<span class="badge sev-warning">warning</span> <b>accumulator</b>');
    expect(page).toContain('<title>leakhunt: 5 findings, 1 warning in 5 batches</title>');
  });

  it('gives an accumulator what each contributing test kept and its smallest failing prefix', () => {
    expect(page).toContain('<dt>kept</dt><dd>~128 MiB per contributing test, over 3 tests</dd>');
    expect(page).toContain('<dt>smallest failing prefix</dt><dd>2 tests</dd>');
    expect(page).toContain('<dt>smallest failing prefix</dt><dd>none: its batch did not die</dd>');
  });

  it('lists processes tests left behind, the report warnings and the shard', () => {
    expect(section('<h2>Processes left behind</h2>', '</table>')).toMatch(
      /<code>tests\/test_network\.py::TestClient::test_connect<\/code><\/td><td><code>python3 tests\/helpers\/echo_server\.py --port 0<\/code><br><\/td><td><a href="#batch-3">b3-p3<\/a>/,
    );
    expect(section('id="batch-3"', '</section>')).toContain(
      '<code>tests/test_network.py::TestClient::test_connect</code> left <code>48213 python3',
    );
    expect(page).toContain('<p class="warn">⚠ <b>warning:</b> per-test probe off for batch 5');
    expect(page).toContain('shard 1/2 (5 of 10 planned batches)');
  });

  it('shows none of these sections when the report has none of these fields', () => {
    const bare = renderHtml(
      {
        ...probes,
        findings: [],
        runs: probes.runs.map(({ leftovers: _l, stacks: _s, ...run }) => ({ ...run, evidence: { ...run.evidence, orphans: [] } })),
        warnings: undefined,
        shard: undefined,
      },
      { color: false, width: 80 },
    );
    expect(bare).not.toMatch(/Processes left behind|class="stack"|<div class="hunt-warnings">|shard |Warnings <span/);
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

  it('hangs each trial under the smallest earlier run that contains its tests', () => {
    const roots = bisectionTree(hunt.runs.filter((r) => r.batchIndex === 4));
    const shape = (nodes: ReturnType<typeof bisectionTree>): unknown => nodes.map((n) => [n.run.runId, shape(n.children)]);
    expect(shape(roots)).toEqual([
      [
        'b4',
        [
          ['b4-c1', []],
          ['b4-p1', []],
          ['b4-p2', []],
          ['b4-p3', []],
        ],
      ],
    ]);
  });
});

describe('renderHtml when a batch died and no test was named', () => {
  it('says what its later runs showed, under the culprits', () => {
    const slow = {
      ...hunt,
      findings: hunt.findings.filter((finding) => finding.batchIndex !== 3),
      runs: hunt.runs.map((run) =>
        run.batchIndex === 3 && run.kind !== 'batch' ? { ...run, verdict: { ...run.verdict, outcome: 'passed' as const } } : run,
      ),
    };
    expect(renderHtml(slow, { color: false, width: 80 })).toMatch(
      /<ul class="unexplained"><li>batch 3 timeout, no test named: all 5 later runs of its tests passed .*slow, not hung.*<\/li><\/ul>/,
    );
    expect(renderHtml(hunt, { color: false, width: 80 })).not.toContain('no test named');
  });
});
