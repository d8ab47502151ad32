// Without per-test records (the generic `--cmd` runner has no probe) a batch that died of
// memory is first searched by prefix runs (bisect/prefix-peaks.ts): an accumulator, a hog, or
// `unresolved` naming nobody. Said on the console before it starts, with the runs it may cost.

import type { Attribution } from '../bisect/attribution.js';
import { findAccumulatorByPrefixes, plannedRuns } from '../bisect/prefix-peaks.js';
import type { BatchHunt, Executor } from '../bisect/types.js';
import { type Signature, signaturesOf } from '../classify/signature.js';
import type { Batch } from '../plan/types.js';
import type { RunRecord } from '../report/model.js';
import type { HuntConfig } from './config.js';
import type { RunContext } from './run-tests.js';

const MEMORY_DEATHS = new Set(['over-memory', 'oom-killed']);

export async function narrowByPrefixes(
  ctx: RunContext,
  config: HuntConfig,
  batch: Batch,
  original: RunRecord,
  executor: Executor,
  wants: (signature: Signature) => boolean,
): Promise<Attribution | undefined> {
  const signature = signaturesOf(original.verdict).find((s) => MEMORY_DEATHS.has(s.outcome));
  // pytest and jest without their probe (--no-probe) keep halving, which names several hogs.
  if (ctx.preset.name !== 'generic' || ctx.probes !== undefined) return undefined;
  if (signature === undefined || !wants(signature) || batch.tests.length < 2 || config.maxRuns < 2) return undefined;
  const runsEstimated = Math.min(config.maxRuns, plannedRuns(batch.tests.length));
  ctx.emit({
    type: 'bisect',
    event: {
      type: 'strategy',
      batchIndex: batch.index,
      runsEstimated,
      text: `no per-test records with --cmd: finding the accumulator by prefix runs, up to ${runsEstimated} runs`,
    },
  });
  const found = await findAccumulatorByPrefixes(
    {
      batchIndex: batch.index,
      tests: batch.tests,
      signature,
      budgetBytes: config.budget.memoryBytes,
      maxRuns: config.maxRuns,
      originalRunId: original.runId,
    },
    executor,
  );
  ctx.emit({ type: 'bisect', event: { type: 'finding', finding: found.finding } });
  const hunt: BatchHunt = {
    batchIndex: batch.index,
    signature,
    findings: [found.finding],
    runsUsed: found.runs.length,
    runsEstimated,
    stopped: 'done',
  };
  const contributors = found.contributors ?? [];
  const explained = contributors.reduce((sum, c) => sum + c.riseBytes, 0);
  const accumulation =
    found.finding.kind !== 'accumulator'
      ? undefined
      : {
          slopeBytesPerTest: explained / Math.max(1, contributors.length),
          rSquared: 1,
          tests: found.prefixLength,
          prefixLength: found.prefixLength,
          budgetCrossedAtTest: found.prefixLength,
          contributors: contributors.map((c) => ({
            file: c.test,
            wholeFile: false,
            retainedBytes: c.riseBytes,
            share: c.riseBytes / Math.max(1, found.growthBytes),
            tests: [{ test: c.test, retainedBytes: c.riseBytes }],
          })),
          explainedShare: Math.min(1, explained / Math.max(1, found.growthBytes)),
          totalGrowthBytes: found.growthBytes,
          ...(found.confirmation && { confirmation: found.confirmation }),
        };
  const findings = [{ finding: found.finding, ...(accumulation && { accumulation }) }];
  // A hog hid the tests after it: the batch without it runs once, and what it shows is
  // halved as usual (narrowBatch hunts `rest`), so a second hog is named too.
  const hog = found.finding.kind === 'hog' ? found.finding.culprits[0] : undefined;
  const tests = batch.tests.filter((test) => test !== hog);
  if (hog === undefined || tests.length === 0 || batch.tests.indexOf(hog) === batch.tests.length - 1 || found.runs.length >= config.maxRuns)
    return { hunts: [hunt], findings, settled: [signature] };
  const trial = await executor.run(tests);
  return {
    hunts: [{ ...hunt, runsUsed: hunt.runsUsed + 1, runsEstimated: hunt.runsEstimated }],
    findings,
    settled: [signature],
    rest: { tests, trial },
  };
}
