// Every view words the verdicts that blame nobody the same way: an unresolved finding's tests
// are "not narrowed: smallest failing set found", never culprits; a flaky finding names the test
// that failed and no culprit; a polluter lists all its victims. Old reports that kept an
// unresolved set in `culprits` are read the same way.
import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import type { Report, ReportedFinding } from '../report/model.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html/page.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

const base = fixtureReport('hunt-pytest');
const unresolved = base.findings.find((f) => f.kind === 'unresolved') as ReportedFinding;
const polluter = base.findings.find((f) => f.kind === 'polluter') as ReportedFinding;
const [setA = '', setB = ''] = unresolved.smallestFailingSet ?? [];
const flaky: ReportedFinding = {
  ...unresolved,
  kind: 'flaky',
  smallestFailingSet: undefined,
  culprits: [],
  signature: { outcome: 'failed', failingTest: 'tests/test_state.py::test_first_in_batch', signal: undefined },
  because: 'failed in 1 of 3 runs of the same tests, 0 of 1 alone: stopped reproducing',
  confidence: 'failed 1 of 4 runs',
};
const twoVictims: ReportedFinding = { ...polluter, victims: [polluter.victim ?? '', 'tests/test_state.py::test_second_victim'] };
const report: Report = { ...base, findings: [unresolved, flaky, twoVictims] };
const oldStyle: Report = {
  ...base,
  findings: [{ ...unresolved, culprits: unresolved.smallestFailingSet ?? [], smallestFailingSet: undefined }],
};

const views: Record<string, (r: Report) => string> = {
  text: (r) => renderText(r, { color: false, width: 200 }),
  markdown: (r) => renderMarkdown(r, { color: false, width: 200 }),
  html: (r) => renderHtml(r, { color: false, width: 200 }),
  junit: (r) => renderJunit(r, { color: false, width: 200 }),
  github: (r) => renderGithub(r, { color: false, width: 200 }),
};

describe.each(Object.entries(views))('%s view', (_name, render) => {
  it('words an unresolved set as not narrowed, in new and old reports alike', () => {
    for (const shown of [render(report), render(oldStyle)]) {
      expect(shown).toMatch(/not narrowed(:|%3A) smallest failing set found/);
    }
  });

  it('names the flaky test and says no culprit', () => {
    const shown = render(report);
    expect(shown).toMatch(/test_first_in_batch/);
    expect(shown).toMatch(/no culprit/);
  });

  it('lists every victim of one polluter', () => {
    expect(render(report)).toMatch(/test_second_victim/);
  });
});

describe('unresolved is never pointed at as a culprit', () => {
  it('github: no annotation sits on a test of the smallest failing set', () => {
    const lines = renderGithub(report, { color: false, width: 200 }).trimEnd().split('\n');
    const onFiles = lines.map((line) => /file=([^,]*)/.exec(line)?.[1] ?? '').join('\n');
    for (const test of [setA, setB]) expect(onFiles).not.toContain(test.split('::')[0]);
  });

  it('junit: the case is named by what was learned, not by a culprit', () => {
    expect(renderJunit(report, { color: false, width: 200 })).toContain(
      'name="unresolved: not narrowed: smallest failing set found (2 tests)',
    );
  });
});
