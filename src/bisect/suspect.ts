// Zero-extra-run attribution: from the per-test records of ONE dead batch, names a single
// suspect when the records leave little doubt (the rule lives here, in bisect/, since issue 14;
// the probe only gathers the records).
// It never confirms anything: the caller runs the suspect alone once before blaming it
// (docs/probes.md), so a wrong guess costs one run, never a wrong culprit.
import type { PerTestRecord } from '../probe/records.js';

export interface AttributionRule {
  /** The suspect's own increment must be at least this share of the batch's total growth. Default 0.6. */
  readonly minShareOfGrowth: number;
  /** …and at least this share of the memory budget. Default 0.5. */
  readonly minShareOfBudget: number;
}

export const DEFAULT_ATTRIBUTION_RULE: AttributionRule = { minShareOfGrowth: 0.6, minShareOfBudget: 0.5 };

export interface Suspect {
  readonly test: string;
  /** Memory this test added at its worst moment (bytes). */
  readonly incrementBytes: number;
  /** 'dominant': it made most of the growth; 'running-at-kill': it was running when the batch died. */
  readonly reason: 'dominant' | 'running-at-kill';
  /** One sentence of evidence for the report. */
  readonly because: string;
}

/**
 * A test's increment is the most it added at any moment: its peak over its start (a spike
 * that was freed still kills a batch) or what it kept, whichever is larger. A test still
 * running at the kill took the process from its start to the budget: budget − its start.
 */
export function incrementOf(record: PerTestRecord, budgetBytes: number): number {
  if (!record.finished) return Math.max(0, budgetBytes - record.rssBeforeBytes - record.childrenRssBytes);
  const ownPeak = record.peakBytes + record.childrenRssBytes - record.rssBeforeBytes;
  return Math.max(0, ownPeak, record.retainedDeltaBytes);
}

/** The one test the records point at, or undefined when they do not point at one. */
export function suspectFromRecords(
  records: readonly PerTestRecord[],
  budgetBytes: number,
  rule: AttributionRule = DEFAULT_ATTRIBUTION_RULE,
): Suspect | undefined {
  if (records.length === 0) return undefined;
  const increments = records.map((record) => ({ record, bytes: incrementOf(record, budgetBytes) }));
  const kept = increments.map(({ record, bytes }) => (record.finished ? Math.max(0, record.retainedDeltaBytes) : bytes));
  const totalGrowth = kept.reduce((sum, b) => sum + b, 0);
  const largest = increments.reduce((best, entry) => (entry.bytes > best.bytes ? entry : best));
  const headroom = largest.record.finished ? budgetBytes : budgetBytes - runnerFloorOf(records, budgetBytes);
  if (largest.bytes < rule.minShareOfBudget * headroom) return undefined;
  const others = totalGrowth - (kept[increments.indexOf(largest)] ?? 0);
  if (largest.bytes < rule.minShareOfGrowth * (others + largest.bytes)) return undefined;
  const reason = largest.record.finished ? 'dominant' : 'running-at-kill';
  return {
    test: largest.record.test,
    incrementBytes: largest.bytes,
    reason,
    because: describeSuspect(largest.bytes, others, budgetBytes, reason),
  };
}

/**
 * What the runner itself held before any test of the batch started: the lowest start of a test
 * in its one process. A heavy runner (jest + ts-jest: ~377 MiB of a 668 MiB budget) leaves a
 * test running at the kill less than half of the budget to take even when it takes all that
 * is left, so its share is judged against the budget minus this floor. 0 when tests ran in
 * several processes (workers): each holds its own runner, and the tree's total is what died.
 * At most half the budget, so the test must still have taken a quarter of it. Only the test
 * tried first changes: it still must die alone before it is named (attribution.ts).
 */
function runnerFloorOf(records: readonly PerTestRecord[], budgetBytes: number): number {
  if (new Set(records.map((record) => record.pid)).size !== 1) return 0;
  const floor = Math.min(...records.map((record) => record.rssBeforeBytes));
  return Math.min(Math.max(0, floor), budgetBytes / 2);
}

function describeSuspect(bytes: number, othersBytes: number, budgetBytes: number, reason: Suspect['reason']): string {
  const mib = (b: number): string => `${(b / 1024 ** 2).toFixed(0)} MiB`;
  const share = `${Math.round((100 * bytes) / budgetBytes)}% of the ${mib(budgetBytes)} budget`;
  // Its own growth, then what was there before it: "66% of the budget" alone reads as "it
  // stayed under the budget, why blame it?" when it is what this test added to reach it.
  if (reason === 'running-at-kill') {
    const before = Math.max(0, budgetBytes - bytes);
    const onTop = before >= 1024 ** 2 ? ` on top of the ${mib(before)} already in use when it started` : '';
    return `it was running when the batch died: it grew the process tree by ${mib(bytes)} (${share})${onTop}, reaching the budget`;
  }
  return `it added ${mib(bytes)} (${share}); all other tests together kept ${mib(othersBytes)}`;
}
