import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { UsageError } from '../errors.js';
import { assignShards, planFingerprint } from '../plan/shards.js';
import { mergeReports, type NamedReport } from './merge.js';
import type { Report } from './model.js';

const whole = fixtureReport('hunt-pytest');

/** Cuts the fixture hunt into the reports its shards would have written. */
function shardReports(count: number, source: Report = whole): NamedReport[] {
  const assignment = assignShards({ batches: source.batches, batchSize: source.plan.batchSize, seed: source.plan.seed }, count);
  const fingerprint = planFingerprint(source.batches);
  return assignment.map((indices, i) => {
    const mine = new Set(indices);
    const report: Report = {
      ...source,
      plan: { ...source.plan, batchCount: indices.length },
      batches: source.batches.filter((batch) => mine.has(batch.index)),
      runs: source.runs.filter((run) => mine.has(run.batchIndex)),
      findings: source.findings.filter((finding) => mine.has(finding.batchIndex)),
      exitCode: source.findings.some((finding) => mine.has(finding.batchIndex)) ? 1 : 0,
      shard: { index: i + 1, count, planBatchCount: source.batches.length, planFingerprint: fingerprint },
    };
    return { path: `shard-${i + 1}/leakhunt-report.json`, report };
  });
}

describe('mergeReports', () => {
  it('gives back the unsharded batches, runs and findings from the shards of a hunt', () => {
    const { report, warnings } = mergeReports(shardReports(3));
    expect(warnings).toEqual([]);
    expect(report.batches).toEqual(whole.batches);
    expect(report.runs).toEqual(whole.runs);
    expect(report.findings).toEqual(whole.findings);
    expect(report.plan.batchCount).toBe(whole.batches.length);
    expect([report.status, report.exitCode]).toEqual([whole.status, whole.exitCode]);
    expect(report.shard).toBeUndefined();
  });

  it('writes the same bytes whatever the order of its arguments', () => {
    const shards = shardReports(4);
    const forward = JSON.stringify(mergeReports(shards).report);
    expect(JSON.stringify(mergeReports([...shards].reverse()).report)).toBe(forward);
    expect(JSON.stringify(mergeReports([shards[2]!, shards[0]!, shards[3]!, shards[1]!]).report)).toBe(forward);
  });

  it('refuses reports of different budgets, naming both files', () => {
    const [a, b] = shardReports(2);
    const other = { ...b!, report: { ...b!.report, budget: { ...b!.report.budget, memoryBytes: 1 } } };
    expect(() => mergeReports([a!, other])).toThrow(UsageError);
    expect(() => mergeReports([a!, other])).toThrow(/shard-1\/leakhunt-report.json and shard-2\/leakhunt-report.json .*memory budget/);
  });

  it('refuses reports of different plans', () => {
    const [a, b] = shardReports(2);
    const other = { ...b!, report: { ...b!.report, shard: { ...b!.report.shard!, planFingerprint: 'something-else' } } };
    expect(() => mergeReports([a!, other])).toThrow(/plan/);
  });

  it('refuses the same shard twice', () => {
    const [a] = shardReports(2);
    expect(() => mergeReports([a!, { ...a!, path: 'copy.json' }])).toThrow(/batch \d+ is in both/);
  });

  it('merges what it has and marks the report interrupted when a shard is missing', () => {
    const [a, , c] = shardReports(3);
    const { report, warnings } = mergeReports([c!, a!]);
    expect(warnings).toEqual(['shard 2/3 is missing: its batches are not in the merged report']);
    expect(report.status).toBe('interrupted');
    expect(report.exitCode).toBe(130);
  });

  it('takes an unsharded report as shard 1 of 1', () => {
    expect(mergeReports([{ path: 'x.json', report: whole }]).report.runs).toEqual(whole.runs);
  });
});
