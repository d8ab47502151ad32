// The note under a finding's repro line: what the user needs to see the failure, worded so it
// never contradicts the evidence printed above it.
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../bisect/types.js';
import { createRunner } from '../runners/index.js';
import { createIdFrame } from '../selection/frame.js';
import { reportFinding } from './repro.js';

const preset = createRunner('pytest', { projectDir: '/proj', python: '/usr/bin/python3' });
const frame = createIdFrame('/proj', '/proj');
const budget = { memoryBytes: 124 * 1024 ** 2, timeoutMs: 20_000, graceMs: 5_000 };

function finding(kind: Finding['kind'], outcome: Finding['signature']['outcome']): Finding {
  return {
    kind,
    culprits: ['tests/test_a.py::test_x'],
    victim: undefined,
    signature: { outcome, failingTest: undefined, signal: undefined },
    because: '',
    reproTests: ['tests/test_a.py::test_x'],
    evidenceRunIds: [],
    batchIndex: 1,
  } as unknown as Finding;
}

describe('reportFinding: the repro note', () => {
  it("says a hang ran alone for the longer confirmation budget, next to the batch's --timeout", () => {
    const note = reportFinding(finding('hang', 'timeout'), preset, frame, '/proj', budget).reproNote;
    // The alone run had 2× 20 s of the test's own time, or 3× from the runner's start: "stopped
    // it after 20.0 s" alone would contradict "timed out … after 40.0 s".
    expect(note).toContain('alone it was still running when leakhunt stopped it, 40.0 s after the test started');
    expect(note).toContain('(1 min 00 s after the runner did, when no test start was recorded)');
    expect(note).toContain('a batch gets --timeout 20.0 s');
    expect(note).not.toMatch(/stopped it after 20\.0 s/);
  });

  it('says a hog dies under the memory limit', () => {
    const note = reportFinding(finding('hog', 'over-memory'), preset, frame, '/proj', budget).reproNote;
    expect(note).toBe("dies only under a memory limit: leakhunt's budget was 124 MiB for the whole process tree");
  });

  it('says an unresolved finding that reproduced failed, not that it did not reproduce', () => {
    const failed = reportFinding(finding('unresolved', 'failed'), preset, frame, '/proj', budget).reproNote;
    expect(failed).toBe("these tests failed in leakhunt's runs, in this order; no single culprit was shown");
    const timedOut = reportFinding(finding('unresolved', 'timeout'), preset, frame, '/proj', budget).reproNote;
    expect(timedOut).toBe("these tests ran past the --timeout of 20.0 s in leakhunt's runs, in this order; no single culprit was shown");
    const died = reportFinding(finding('unresolved', 'over-memory'), preset, frame, '/proj', budget).reproNote;
    expect(died).toBe("dies only under a memory limit: leakhunt's budget was 124 MiB for the whole process tree");
    // flaky did stop reproducing: that is what its note says.
    expect(reportFinding(finding('flaky', 'failed'), preset, frame, '/proj', budget).reproNote).toMatch(/^did not reproduce reliably/);
  });

  it('does not say a warning (an accumulator that has not died) dies', () => {
    const note = reportFinding(finding('accumulator', 'passed'), preset, frame, '/proj', budget, [], 'warning').reproNote;
    expect(note).not.toMatch(/dies|died/);
    expect(note).toContain("stayed under leakhunt's budget of 124 MiB");
  });
});
