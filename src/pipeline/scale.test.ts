// The plan line printed before the first batch: what the hunt will cost, hangs included.
import { describe, expect, it } from '@jest/globals';
import { describeEstimate } from './scale.js';

const estimate = { runs: 1, wallMs: undefined, coverage: 0, source: undefined };

describe('describeEstimate', () => {
  it('says what a hang costs with this --timeout: the batch, then the longer lone run', () => {
    const line = describeEstimate(estimate, 1, true, 20_000);
    expect(line).toMatch(/^plan: survey mode \(no --batch-size\): 1 batch, at least 1 run \(narrowing adds more\), no earlier durations/);
    // 20 s for the batch + 60 s alone (3× --timeout): QA saw 91–157 s per hang at 20–30 s.
    expect(line).toContain('a hang takes at least ~1 min 20 s to name: its batch runs the whole --timeout 20.0 s');
    expect(line).toContain('then its suspect runs alone up to 1 min 00 s');
  });

  it("with a per-test probe, says the lone run counts 2× --timeout of the test's own time, plus the runner's start", () => {
    const line = describeEstimate(estimate, 1, true, 20_000, true);
    expect(line).toContain('a hang takes at least ~1 min 00 s to name: its batch runs the whole --timeout 20.0 s');
    expect(line).toContain("then its suspect runs alone for 40.0 s of its own time, plus the runner's start");
  });

  it('with the default 5 min --timeout, says the ~20 min a hang takes', () => {
    expect(describeEstimate(estimate, 3, false, 300_000)).toContain('a hang takes at least ~20 min 00 s to name');
  });
});
