import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { compareWithBaseline } from '../report/baseline.js';
import type { Report } from '../report/model.js';
import { shouldUseColor } from './color.js';
import { renderMarkdown } from './markdown.js';
import { MAX_LINES, renderText } from './text.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const hunt = fixtureReport('hunt-pytest');
const many = fixtureReport('many-batches');

/** Lines that may exceed the width: repro commands, which are never cut. */
function isReproLine(line: string, previous: string | undefined): boolean {
  return line.trimStart().startsWith('repro:') || (previous?.endsWith(' \\') ?? false);
}

describe('renderText', () => {
  it('shows a row per batch and each finding with its evidence and repro', () => {
    const text = renderText(hunt, { color: false, width: 100 });
    expect(text).toMatch(/^2 +3 +over-memory +301 MiB of 300 MiB +9\.2 s$/m);
    expect(text).toMatch(/^✗ hog {2}tests\/test_memory\.py::test_big_alloc {2}\(batch 2, reproduced 3 of 3 runs\)$/m);
    expect(text).toContain('    repro: python -m pytest tests/test_memory.py::test_big_alloc');
    expect(text).toContain('    makes tests/test_state.py::test_reads_global fail');
  });

  it('stays within one screen and the width for a 200-batch hunt, showing failing batches and counting the rest', () => {
    for (const width of [60, 80, 120]) {
      const lines = renderText(many, { color: false, width }).trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(MAX_LINES);
      lines.forEach((line, i) => {
        if (!isReproLine(line, lines[i - 1])) expect({ line, length: line.length <= width }).toEqual({ line, length: true });
      });
      const text = lines.join('\n');
      for (const index of [17, 42, 77, 101]) expect(text).toMatch(new RegExp(`^ *${index} +5 +`, 'm'));
      expect(text).toContain('… 180 passed, 12 not run not shown');
      expect(text).toMatch(/… \d+ more findings in leakhunt-report\.md/);
    }
  });

  it('keeps repro commands whole, continued with a backslash when wrapped', () => {
    const text = renderText(many, { color: false, width: 60 });
    expect(text).toContain('           tests/generated/test_module_017.py::test_case_with_a_rather_long_descriptive_name_1');
    expect(text).toContain('repro: python -m pytest \\');
  });

  it('uses colour only when asked', () => {
    expect(renderText(hunt, { color: false, width: 80 })).not.toMatch(ANSI);
    const coloured = renderText(hunt, { color: true, width: 80 });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(renderText(hunt, { color: false, width: 80 }));
  });

  it('marks new findings and summarises the baseline when one is given', () => {
    const baseline = compareWithBaseline(hunt, fixtureReport('baseline-pytest'), { peakRegressionRatio: 1.2 });
    const text = renderText(hunt, { color: false, width: 100, baseline });
    expect(text).toContain('vs baseline of 2026-11-23T02:00:00.000Z: 3 new, 1 fixed, 1 still there');
    expect(text).toMatch(/^✗ NEW hang /m);
    expect(text).toMatch(/^✗ hog /m);
  });
});

describe('renderText with what the probes record', () => {
  it('marks warnings apart from failures, names leftovers and the shard, and stays within one screen', () => {
    for (const width of [60, 100, 160]) {
      const text = renderText(fixtureReport('hunt-probes'), { color: false, width });
      expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(MAX_LINES);
      expect(text).toContain('shard 1/2');
      expect(text).toMatch(/^warning: per-test probe off for batch 5/m);
      expect(text).toMatch(/^tests\/test_network\.py::TestClient::test_connect left 1 proc/m);
    }
    const wide = renderText(fixtureReport('hunt-probes'), { color: false, width: 160 });
    expect(wide).toMatch(
      /^tests\/test_network\.py::TestClient::test_connect left 1 process behind: python3 tests\/helpers\/echo_server\.py --port 0$/m,
    );
    // The warning comes after every failure, whatever order the report lists them in.
    expect(wide).toMatch(/^✗ unresolved [\s\S]*^⚠ warning: accumulator {2}tests\/test_basic\.py::test_add \+2 more {2}\(batch 1\)$/m);
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('colours a terminal and not a pipe', () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
  });
  it('respects NO_COLOR and TERM=dumb', () => {
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor(tty, { TERM: 'dumb' })).toBe(false);
  });
  it('lets FORCE_COLOR win, in either direction', () => {
    expect(shouldUseColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldUseColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(shouldUseColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });
});

describe('renderText when a batch died and no test was named', () => {
  // As on Debian's toolz suite under load: the whole batch outran --timeout, the test running
  // at the deadline passed alone and the rest passed in a new process. "No findings." beside
  // exit 1 left the user guessing; the summary now says what the later runs showed.
  const slow: Report = {
    ...hunt,
    findings: hunt.findings.filter((finding) => finding.batchIndex !== 3),
    runs: hunt.runs.map((run) =>
      run.batchIndex === 3 && run.kind !== 'batch' ? { ...run, verdict: { ...run.verdict, outcome: 'passed' as const } } : run,
    ),
  };

  it('says the timeout was slowness, not a hang, naming the runs that show it', () => {
    const text = renderText(slow, { color: false, width: 200 });
    expect(text).toContain(
      'batch 3 timeout, no test named: all 5 later runs of its tests passed (b3-c1, b3-p1, b3-p2, b3-p3, b3-p4), so none of them hangs',
    );
    expect(text).toMatch(/together they took longer than the [\d.]+ s budget \(slow, not hung\);\s+raise --timeout/);
  });

  it("still explains the death when the batch's only finding is a test that failed before it (its lone run is no rerun)", () => {
    const failedFirst = hunt.runs.find((run) => run.batchIndex === 3 && run.kind !== 'batch')!;
    const failing = {
      ...hunt.findings.find((finding) => finding.batchIndex !== 3)!,
      batchIndex: 3,
      kind: 'failing' as const,
      signature: { outcome: 'failed' as const, failingTest: 'tests/test_x.py::test_x', signal: undefined },
      evidenceRunIds: ['b3', failedFirst.runId],
    };
    const withFailure: Report = {
      ...slow,
      findings: [...slow.findings, failing],
      runs: slow.runs.map((run) =>
        run.runId === failedFirst.runId ? { ...run, verdict: { ...run.verdict, outcome: 'failed' as const } } : run,
      ),
    };
    expect(renderText(withFailure, { color: false, width: 200 })).toContain(
      'batch 3 timeout, no test named: all 4 later runs of its tests passed (b3-p1, b3-p2, b3-p3, b3-p4), so none of them hangs',
    );
  });

  it('says nothing more when every dead batch has a finding', () => {
    expect(renderText(hunt, { color: false, width: 200 })).not.toContain('no test named');
  });
});

describe('renderText in survey mode (one batch, the default)', () => {
  it('says "1 batch", not "1 batches"', () => {
    const one: Report = { ...hunt, batches: hunt.batches.slice(0, 1) };
    const title = renderText(one, { color: false, width: 120 }).split('\n')[0];
    expect(title).toMatch(/ tests in 1 batch$/);
  });

  it('counts files as files, with the tests they held when every batch ran whole, never files as tests', () => {
    const files = ['tests/test_basic.py', 'tests/test_memory.py'];
    const batch = { ...hunt.batches[0]!, tests: files, runId: 'b1' };
    const run = { ...hunt.runs[0]!, runId: 'b1', tests: files, results: { collected: 108, failing: [], passed: 108, skipped: 0 } };
    const surveyed: Report = { ...hunt, selection: { ...hunt.selection, testCount: 2 }, batches: [batch], runs: [run] };
    const title = (report: Report): string | undefined => renderText(report, { color: false, width: 120 }).split('\n')[0];
    expect(title(surveyed)).toMatch(/ · 2 files \(108 tests\) in 1 batch$/);
    // A batch that died stopped early: how many tests the files hold is not known.
    const died = { ...run, verdict: { ...run.verdict, outcome: 'over-memory' as const }, results: undefined };
    expect(title({ ...surveyed, runs: [died] })).toMatch(/ · 2 files in 1 batch$/);
    // A folder is not a file.
    expect(title({ ...surveyed, batches: [{ ...batch, tests: ['tests'] }], selection: { ...hunt.selection, testCount: 1 } })).toMatch(
      / · 1 entry \(108 tests\) in 1 batch$/,
    );
    // Files and node ids mixed: entries.
    expect(title({ ...surveyed, batches: [{ ...batch, tests: ['tests/a.py', 'tests/b.py::test_x'] }] })).toMatch(
      / · 2 entries \(108 tests\) in 1 batch$/,
    );
    // Node ids are tests.
    expect(title(hunt)).toMatch(/ · 15 tests in 5 batches$/);
  });

  it("heads the batch table's count column with what it counts: files, entries, tests", () => {
    const files = ['tests/test_basic.py', 'tests/test_memory.py'];
    const batch = { ...hunt.batches[0]!, tests: files, runId: 'b1' };
    const run = { ...hunt.runs[0]!, runId: 'b1', tests: files, results: { collected: 108, failing: [], passed: 108, skipped: 0 } };
    const surveyed: Report = { ...hunt, selection: { ...hunt.selection, testCount: 2 }, batches: [batch], runs: [run] };
    const head = (report: Report): string | undefined =>
      renderText(report, { color: false, width: 120 })
        .split('\n')
        .find((line) => line.startsWith('#'));
    expect(head(surveyed)).toMatch(/^# {2}files {2}outcome/);
    expect(head({ ...surveyed, batches: [{ ...batch, tests: ['tests'] }] })).toMatch(/^# {2}entries {2}outcome/);
    expect(head(hunt)).toMatch(/^# {2}tests {2}outcome/);
    // Its numbers stay under the word.
    const row = renderText({ ...surveyed, batches: [{ ...batch, tests: ['tests'] }] }, { color: false, width: 120 })
      .split('\n')
      .find((line) => line.startsWith('1 '));
    expect(row).toMatch(/^1 {8}1 {2}/);
    expect(renderMarkdown(surveyed, { color: false, width: 80 })).toContain('| # | files | outcome |');
  });
});
