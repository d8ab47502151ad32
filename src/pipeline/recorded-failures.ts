// The edge of bisect/recorded-failures.ts: a run that died (time, memory) with tests the probe
// recorded as failed gets each of them run alone once, so a real failure is not lost because
// pytest, killed, wrote no report. Each run is checked once per batch (survey mode hands the
// same run to narrowing after reading it).
import { spelledAs } from '../bisect/attribution.js';
import { failuresBeforeDeath, recordedFailureFinding } from '../bisect/recorded-failures.js';
import type { BatchHunt, Executor } from '../bisect/types.js';
import type { Batch } from '../plan/types.js';
import type { RunRecord } from '../report/model.js';
import type { Narrowed, RunCounter } from './narrowed.js';
import { batchRecords, type RunContext } from './run-tests.js';

export async function confirmRecordedFailures(
  ctx: RunContext,
  batch: Batch,
  died: RunRecord,
  executor: Executor,
  counter: RunCounter,
  maxRuns: number,
): Promise<Narrowed> {
  const checked = (counter.failuresChecked ??= new Set<string>());
  if (checked.has(died.runId)) return { hunts: [], findings: [] };
  checked.add(died.runId);
  const records = (await batchRecords(ctx, died)).map((r) => spelledAs(batch.tests, r));
  // A test already confirmed from an earlier dead run of this batch is not run again.
  const fresh = failuresBeforeDeath(died.verdict, records).filter((test) => !checked.has(`test ${test}`));
  const tests = fresh.slice(0, Math.max(0, maxRuns));
  for (const test of tests) checked.add(`test ${test}`);
  const hunts: BatchHunt[] = [];
  const findings: Narrowed['findings'][number][] = [];
  for (const test of tests) {
    if (ctx.abort.aborted) break;
    // As the user's runner runs it: a failure needs no per-test memory (bisect/hunt.ts, probed).
    const alone = await executor.run([test], { withoutProbe: true });
    const finding = recordedFailureFinding(batch.index, died, test, alone);
    hunts.push({
      batchIndex: batch.index,
      signature: { outcome: 'failed', failingTest: test, signal: undefined },
      findings: finding === undefined ? [] : [finding],
      runsUsed: 1,
      runsEstimated: 1,
      stopped: 'done',
    });
    if (finding !== undefined) findings.push({ finding });
  }
  return { hunts, findings };
}
