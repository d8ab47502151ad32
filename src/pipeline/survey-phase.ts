// Survey mode at the edges (the rules are in bisect/survey.ts): for one planned segment whose run
// failed, read the run's per-test records, confirm the test they name alone, and run the
// tests after it in a new process; repeat until a run passes or reaches the segment's end.
// What the records cannot settle goes to the usual narrowing (bisect-phase.ts: attribution,
// then halving) with the tests of the run that showed it, and the survey of the segment ends
// there: halving finds every culprit left among those tests. A timeout whose running test
// passes alone was a long process, not a hang: the survey resumes at that test.

import { type AttributedFinding, warnAcrossRuns } from '../bisect/attribution.js';
import { entriesAfter, entriesFrom, nextSurveyStep } from '../bisect/survey.js';
import type { BatchHunt, Finding, TrialResult } from '../bisect/types.js';
import { hangConfirmationBudget } from '../classify/hang.js';
import { reproduces, type Signature } from '../classify/signature.js';
import { followUpRunId } from '../plan/run-ids.js';
import type { Batch } from '../plan/types.js';
import type { ReportBuilder } from '../report/build.js';
import type { RunRecord } from '../report/model.js';
import {
  batchRecords,
  chaseFilter,
  inLanes,
  type Narrowed,
  narrowBatch,
  type RunCounter,
  trialExecutor,
  withStack,
} from './bisect-phase.js';
import type { HuntConfig } from './config.js';
import { confirmRecordedFailures } from './recorded-failures.js';
import { type RunContext, runTests } from './run-tests.js';

export async function surveyBatch(
  ctx: RunContext,
  config: HuntConfig,
  builder: ReportBuilder,
  batch: Batch,
  original: RunRecord,
  counter: RunCounter = { count: 0 },
): Promise<Narrowed> {
  const runs = new Map<string, RunRecord>([[original.runId, original]]);
  const confirmer = trialExecutor(ctx, builder, batch, runs, counter);
  const wants = chaseFilter(config.chase) ?? ((): boolean => true);
  const hunts: BatchHunt[] = [];
  const findings: AttributedFinding[] = [];
  let current = original;
  let runsLeft = config.maxRuns;
  // Runs that ran out of time and went on in a new process: their finished tests are weighed
  // with the last run's when it passes (attribution.ts, warnAcrossRuns).
  const timedOut: RunRecord[] = [];
  while (!ctx.abort.aborted) {
    // A run that died wrote no runner report: failures its records kept are confirmed alone.
    const recorded = await confirmRecordedFailures(ctx, batch, current, confirmer, counter, runsLeft);
    hunts.push(...recorded.hunts);
    findings.push(...recorded.findings);
    runsLeft -= recorded.hunts.length;
    const step = nextSurveyStep(current.verdict, await batchRecords(ctx, current), config.budget.memoryBytes, wants);
    if (step.kind === 'done') {
      // A run that passed may still keep memory: the same warning as a passing batch (no runs).
      if (current.verdict.outcome === 'passed' && timedOut.length > 0) {
        const earlier = await Promise.all(timedOut.map(async (run) => ({ run, records: await batchRecords(ctx, run) })));
        const input = { batchIndex: batch.index, batchTests: batch.tests, original: current, budget: config.budget };
        findings.push(...warnAcrossRuns({ ...input, records: await batchRecords(ctx, current) }, earlier));
      } else if (current.verdict.outcome === 'passed')
        findings.push(
          ...(await narrowBatch(ctx, { ...config, maxRuns: 0 }, builder, { index: batch.index, tests: current.tests }, current, counter))
            .findings,
        );
      break;
    }
    if (step.kind === 'confirm' && runsLeft > 0) {
      // With room for two runs at once, the tests after the suspect start in a new process
      // while it is confirmed alone: the two runs are independent, and the records rarely
      // mislead (when they do, that run is one spent for nothing, and is in the report).
      const after = entriesAfter(current.tests, step.suspect);
      const ahead = (counter.lanes?.width ?? 1) > 1 && runsLeft >= 2 && after !== undefined && after.length > 0 ? after : undefined;
      // A hang is named only if it outlives a longer budget alone, counted on the test's own
      // time once its start record is written (classify/hang.ts).
      const confirming = confirmer.run(
        [step.suspect],
        step.signature.outcome === 'timeout' ? hangConfirmationBudget(config.budget.timeoutMs) : undefined,
      );
      const continuing = ahead === undefined ? undefined : continueAfter(ctx, builder, batch, ahead, counter);
      const [alone, continued] = await Promise.all([confirming, continuing]);
      runsLeft -= continued === undefined ? 1 : 2;
      if (reproduces(step.signature, alone.verdict)) {
        const finding = withStack(confirmedFinding(batch, current, step, alone), runs);
        hunts.push({
          batchIndex: batch.index,
          signature: step.signature,
          findings: [finding],
          runsUsed: 1,
          runsEstimated: 1,
          stopped: 'done',
        });
        findings.push({ finding });
        const rest = after;
        if (rest === undefined || rest.length === 0) break;
        if (continued !== undefined) {
          current = continued;
          runs.set(current.runId, current);
          continue;
        }
        if (runsLeft <= 0) {
          hunts.push({
            batchIndex: batch.index,
            signature: step.signature,
            findings: [],
            runsUsed: 0,
            runsEstimated: 0,
            stopped: 'max-runs',
          });
          break;
        }
        current = await continueAfter(ctx, builder, batch, rest, counter);
        runs.set(current.runId, current);
        runsLeft -= 1;
        continue;
      }
      // A whole selection in one process may simply outlast --timeout: when the test it was in
      // passes alone, nothing hung; the survey resumes at that test in a new process.
      const resume =
        step.signature.outcome === 'timeout' && alone.verdict.outcome === 'passed' ? entriesFrom(current.tests, step.suspect) : undefined;
      if (resume !== undefined && runsLeft > 0) {
        timedOut.push(current);
        current = await continueAfter(ctx, builder, batch, resume, counter);
        runs.set(current.runId, current);
        runsLeft -= 1;
        continue;
      }
    }
    // The records did not settle it: narrow the tests of the run that showed the failure.
    const narrowed = await narrowBatch(
      ctx,
      { ...config, maxRuns: Math.max(0, runsLeft) },
      builder,
      { index: batch.index, tests: current.tests },
      current,
      counter,
    );
    hunts.push(...narrowed.hunts);
    findings.push(...narrowed.findings);
    break;
  }
  return { hunts, findings };
}

/** A new process for the tests the dead one never reached: the survey goes on. */
async function continueAfter(
  ctx: RunContext,
  builder: ReportBuilder,
  batch: Batch,
  tests: readonly string[],
  counter: RunCounter,
): Promise<RunRecord> {
  counter.count += 1;
  const runId = followUpRunId(batch, counter.count);
  const record = await inLanes(counter, () => runTests(ctx, { runId, kind: 'probe', batchIndex: batch.index, tests }));
  builder.addRun(record);
  return record;
}

const KIND_OF: Partial<Record<Signature['outcome'], Finding['kind']>> = {
  'over-memory': 'hog',
  'oom-killed': 'hog',
  timeout: 'hang',
  crashed: 'crash',
};

function confirmedFinding(
  batch: Batch,
  died: RunRecord,
  step: { suspect: string; signature: Signature; because: string },
  aloneRun: TrialResult,
): Finding {
  const aloneRunId = aloneRun.runId;
  // A hang says what its lone run saw: how long the test ran without ending, after what start-up.
  const alone = step.signature.outcome === 'timeout' ? `timed out too, ${aloneRun.verdict.because}` : 'died the same way';
  return {
    batchIndex: batch.index,
    kind: KIND_OF[step.signature.outcome] ?? 'hog',
    culprits: [step.suspect],
    victim: undefined,
    signature: step.signature,
    because: `named from the per-test records of ${died.runId}: ${step.because}; alone it ${alone} (${aloneRunId})`,
    reproTests: [step.suspect],
    evidenceRunIds: [died.runId, aloneRunId],
    confidence: undefined,
  };
}
