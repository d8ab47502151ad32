import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FIXTURE_DIR, fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { escapeXml, renderJunit } from './junit.js';

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});
const hunt = fixtureReport('hunt-pytest');

function parse(xml: string): { root: Node; suites: Node[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const root = (parser.parse(xml) as { testsuites: Node }).testsuites;
  return { root, suites: root['testsuite'] as Node[] };
}

const cases = (suite: Node | undefined): Node[] => (suite?.['testcase'] as Node[] | undefined) ?? [];
const failure = (testcase: Node | undefined): Node | undefined => testcase?.['failure'] as Node | undefined;

describe('renderJunit', () => {
  it('has one testcase per batch and per finding, with counts that match', () => {
    const { root, suites } = parse(renderJunit(hunt, { color: false, width: 80, reportDir: FIXTURE_DIR }));
    expect(suites.map((s) => s['name'])).toEqual(['leakhunt batches', 'leakhunt findings']);
    expect(cases(suites[0])).toHaveLength(5);
    // 4 findings and one test that left a process behind (a passing case: it is not a failure).
    expect(cases(suites[1])).toHaveLength(5);
    expect(cases(suites[1]).filter((c) => c['classname'] === 'leakhunt.leftovers')).toHaveLength(1);
    for (const suite of suites) {
      const all = cases(suite);
      expect(Number(suite['tests'])).toBe(all.length);
      expect(Number(suite['failures'])).toBe(all.filter((c) => c['failure'] !== undefined).length);
      expect(Number(suite['skipped'])).toBe(all.filter((c) => c['skipped'] !== undefined).length);
      expect(suite['timestamp']).toBe('2026-11-24T02:00:00');
    }
    expect(Number(root['tests'])).toBe(10);
    expect(Number(root['failures'])).toBe(8);
  });

  it('says how a batch died in the failure message and attaches the log tail', () => {
    const { suites } = parse(renderJunit(hunt, { color: false, width: 80, reportDir: FIXTURE_DIR }));
    const died = failure(cases(suites[0])[1]);
    expect(died?.['message']).toBe('batch 2 died: over-memory (301 MiB of 300 MiB)');
    expect(died?.['type']).toBe('over-memory');
    const body = String(died?.['#text']);
    expect(body).toContain('last 50 lines of logs/b2.log:');
    expect(body.split('\n').slice(-50)[0]).toBe('tests/test_memory.py::test_small_alloc PASSED [line 30]');
    expect(body.trimEnd().endsWith('allocating chunk 20 of 64 MiB')).toBe(true);
    expect(cases(suites[0])[0]?.['failure']).toBeUndefined();
  });

  it('names the finding, its culprit and its evidence', () => {
    const { suites } = parse(renderJunit(hunt, { color: false, width: 80 }));
    const polluter = cases(suites[1])[2];
    expect(polluter?.['name']).toBe('polluter: tests/test_state.py::test_set_global → makes tests/test_state.py::test_reads_global fail');
    expect(failure(polluter)?.['message']).toBe(
      'polluter in batch 4: test_reads_global passes alone and after test_unrelated, fails after test_set_global',
    );
    expect(String(failure(polluter)?.['#text'])).toContain('repro: python -m pytest -p no:randomly');
  });

  it('skips batches that never ran', () => {
    const { suites } = parse(renderJunit(fixtureReport('many-batches'), { color: false, width: 80 }));
    expect(Number(suites[0]?.['skipped'])).toBe(12);
    expect(cases(suites[0])[199]?.['skipped']).toEqual({ message: 'the hunt stopped (interrupted) before this batch ran' });
  });

  it('keeps the XML well-formed whatever the log or test id contains', () => {
    expect(escapeXml('a<b>&"c"\u001b[31mred\u001b[0m\u0007')).toBe('a&lt;b&gt;&amp;&quot;c&quot;red');
    const nasty = { ...hunt.findings[0]!, culprits: ['tests/x.py::test_<&>"\u0001'], because: 'line1\nline2' };
    parse(renderJunit({ ...hunt, findings: [nasty] }, { color: false, width: 80, readText: () => '\u001b[1mbold\u001b[0m\u0000 log' }));
  });

  it('keeps a warning-severity finding green: a passing testcase with its severity and text in system-out', () => {
    const { root, suites } = parse(renderJunit(fixtureReport('hunt-probes'), { color: false, width: 80 }));
    const findings = cases(suites[1]).filter((c) => c['classname'] !== 'leakhunt.leftovers');
    expect(findings).toHaveLength(6);
    const warning = findings.find((c) => String(c['name']).startsWith('warning: accumulator'));
    expect(warning?.['failure']).toBeUndefined();
    expect(warning?.['skipped']).toBeUndefined();
    expect(warning?.['properties']).toBeUndefined();
    expect(String(warning?.['system-out'])).toMatch(/^severity: warning \(seen in batch 1, which passed/);
    expect(String(warning?.['system-out'])).toContain('fit: ~563 KiB per contributing test over 3 tests; its batch did not die');
    expect(Number(suites[1]?.['failures'])).toBe(5);
    expect(Number(root['failures'])).toBe(4 + 5);
    const hang = findings.find((c) => String(c['name']).startsWith('hang:'));
    expect(String(failure(hang)?.['#text'])).toContain('hung at: tests/test_network.py line 21 (test_server_hang) → socket.recv');
  });
});
