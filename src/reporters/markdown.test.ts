import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { compareWithBaseline } from '../report/baseline.js';
import { renderJunit } from './junit.js';
import { code, renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

const hunt = fixtureReport('hunt-pytest');

/** Rows of the table under `heading`, split into cells on unescaped pipes. */
function tableRows(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`### ${heading}`);
  const afterHeading = markdown.slice(start).split('\n');
  const lines = afterHeading.slice(afterHeading.findIndex((line) => line.startsWith('|')));
  const table = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith('|')),
  );
  return table.slice(2).map((line) => line.slice(2, -2).split(/ (?<!\\)\| /));
}

describe('renderMarkdown', () => {
  it('puts findings first, one table row each, with culprit, evidence and repro', () => {
    const markdown = renderMarkdown(hunt, { color: false, width: 80 });
    expect(markdown.indexOf('### Findings')).toBeLessThan(markdown.indexOf('### Batches'));
    const rows = tableRows(markdown, 'Findings');
    expect(rows.map((row) => row[0])).toEqual(['hog', 'hang', 'polluter', 'unresolved']);
    expect(rows[2]).toEqual([
      'polluter',
      '`tests/test_state.py::test_set_global`',
      '`tests/test_state.py::test_reads_global`',
      '4',
      'test_reads_global passes alone and after test_unrelated, fails after test_set_global',
      '`python -m pytest -p no:randomly tests/test_state.py::test_set_global tests/test_state.py::test_reads_global`',
    ]);
  });

  it('lists every batch with its outcome and a relative link to its log', () => {
    const rows = tableRows(renderMarkdown(hunt, { color: false, width: 80 }), 'Batches');
    expect(rows.map((row) => row[2])).toEqual(['passed', 'over-memory', 'timeout', 'failed', 'crashed']);
    expect(rows[1]).toEqual([
      '2',
      '3',
      'over-memory',
      '301 MiB of 300 MiB',
      '9.2 s',
      'tree peak 301 MiB reached the 300 MiB budget',
      '[log](logs/b2.log)',
    ]);
  });

  it('links artifacts under artifactBaseUrl when given', () => {
    const markdown = renderMarkdown(hunt, { color: false, width: 80, artifactBaseUrl: 'https://ci.example/run/7/' });
    expect(markdown).toContain('[log](https://ci.example/run/7/logs/b2.log)');
    expect(markdown).toContain('- [leakhunt-report.html](https://ci.example/run/7/leakhunt-report.html)');
  });

  it('folds passing batches of a large hunt into a details block', () => {
    const markdown = renderMarkdown(fixtureReport('many-batches'), { color: false, width: 80 });
    expect(tableRows(markdown, 'Batches')).toHaveLength(8);
    expect(markdown).toContain('<details><summary>180 passed, 12 not run</summary>');
  });

  it('marks new findings and lists fixed ones and peak regressions against a baseline', () => {
    const baseline = compareWithBaseline(hunt, fixtureReport('baseline-pytest'), { peakRegressionRatio: 1.2 });
    const markdown = renderMarkdown(hunt, { color: false, width: 80, baseline });
    expect(tableRows(markdown, 'Findings').map((row) => row[0])).toEqual(['hog', '**new** hang', '**new** polluter', '**new** unresolved']);
    expect(markdown).toContain('- Fixed: failing `tests/test_basic.py::test_strings`');
    expect(markdown).toContain('| 1 | 2 | 30.0 MiB | 47.0 MiB | ×1.57 |');
  });

  it('escapes pipes so a test id cannot break a table', () => {
    const finding = { ...hunt.findings[0]!, culprits: ['tests/a.py::test_x[a|b]'] };
    const rows = tableRows(renderMarkdown({ ...hunt, findings: [finding] }, { color: false, width: 80 }), 'Findings');
    expect(rows[0]).toHaveLength(6);
    expect(rows[0]?.[1]).toBe('`tests/a.py::test_x[a\\|b]`');
    expect(code('a `b` c')).toBe('``a `b` c``');
  });

  it('gives hangs their stack, accumulators their fit, and lists leftovers, warnings and the shard', () => {
    const markdown = renderMarkdown(fixtureReport('hunt-probes'), { color: false, width: 80 });
    expect(markdown.split('\n')[0]).toBe('## leakhunt: 5 findings, 1 warning in 5 batches (shard 1/2 (5 of 10 planned batches))');
    expect(markdown).toContain('> ⚠️ **warning:** per-test probe off for batch 5: the run crashed before the probe wrote its records');
    expect(tableRows(markdown, 'Findings').map((row) => row[0])).toEqual(['hog', 'hang', 'polluter', 'unresolved', 'accumulator']);
    expect(tableRows(markdown, 'Findings')[1]?.[4]).toContain(
      '<br>hung at: `tests/test_network.py line 21 (test_server_hang) → socket.recv`',
    );
    expect(tableRows(markdown, 'Findings')[4]?.[4]).toContain(
      '<br>fit: ~128 MiB per contributing test over 3 tests; smallest failing prefix: 2 tests',
    );
    const stacks = markdown.slice(markdown.indexOf('### Where hung tests were stuck'));
    expect(stacks).toMatch(/^- `tests\/test_network\.py::TestClient::test_server_hang` \(batch 3\): `tests\/test_network\.py line 21/m);
    expect(stacks).toMatch(/<details><summary>stack dump when the time ran out<\/summary>\n\n {2}```text\n {2}Timeout \(0:00:19\)!/);
    expect(tableRows(markdown, 'Processes left behind')).toEqual([
      ['`tests/test_network.py::TestClient::test_connect`', '`python3 tests/helpers/echo_server.py --port 0`', 'b3-p3'],
    ]);
  });

  it('puts warning-severity findings in a table of their own, after the failures', () => {
    const markdown = renderMarkdown(fixtureReport('hunt-probes'), { color: false, width: 80 });
    expect(markdown.indexOf('### Findings')).toBeLessThan(markdown.indexOf('### Warnings'));
    const rows = tableRows(markdown, 'Warnings');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe('⚠️ accumulator');
    expect(rows[0]?.[4]).toContain('fit: ~563 KiB per contributing test over 3 tests; its batch did not die');
  });
});

describe('renderMarkdown when a batch died and no test was named', () => {
  it('lists it with what its later runs showed', () => {
    const slow = {
      ...hunt,
      findings: hunt.findings.filter((finding) => finding.batchIndex !== 3),
      runs: hunt.runs.map((run) =>
        run.batchIndex === 3 && run.kind !== 'batch' ? { ...run, verdict: { ...run.verdict, outcome: 'passed' as const } } : run,
      ),
    };
    const markdown = renderMarkdown(slow, { color: false, width: 100 });
    expect(markdown).toContain('### Batches that died with no test named');
    expect(markdown).toMatch(
      /^- batch 3 timeout, no test named: all 5 later runs of its tests passed .*\(slow, not hung\); raise --timeout$/m,
    );
    expect(renderMarkdown(hunt, { color: false, width: 100 })).not.toContain('no test named');
  });
});

describe('the command under the budget', () => {
  // A warning is an accumulator seen in a batch that passed: its command has not died yet.
  // "dies again under the budget" (as on sympy's suite with --batch-size 3) sent users
  // looking for a death that never happened.
  const hog = hunt.findings.find((finding) => finding.kind === 'hog')!;
  const failure = { ...hog, reproUnderBudget: 'npx leakhunt bisect t.txt --memory 300MiB' };
  const warning = { ...failure, kind: 'accumulator' as const, severity: 'warning' as const };

  it('dies again for a failure, and has not died yet for a warning, in every view', () => {
    const views = (finding: typeof failure) => {
      const report = { ...hunt, findings: [finding] };
      return [
        renderMarkdown(report, { color: false, width: 100 }),
        renderText(report, { color: false, width: 200 }),
        renderJunit(report, { color: false, width: 100 }),
      ];
    };
    for (const view of views(failure)) expect(view).toMatch(/dies again/);
    for (const view of views(warning)) {
      expect(view).not.toMatch(/dies again/);
      expect(view).toMatch(/not died yet|not dead yet/);
    }
  });

  it('says "dies again" once for a long command kept in the Markdown report', () => {
    const tests = Array.from({ length: 400 }, (_, i) => `tests/test_${i}.py::test_case_with_a_long_name_${i}`);
    const report = { ...hunt, findings: [{ ...failure, reproTests: tests, reproUnderBudget: `npx leakhunt run ${tests.join(' ')}` }] };
    const line = renderText(report, { color: false, width: 100 })
      .split('\n')
      .find((text) => text.includes('dies again'));
    expect(line).toBe('    dies again: leakhunt on those 400 tests under the budget; the command is in leakhunt-report.md');
  });
});
