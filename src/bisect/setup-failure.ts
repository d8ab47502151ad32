// A batch whose every test file failed before any of its tests ran, with one error that names
// none of them (classify: `verdict.setupFailure`): what the runner runs before each file threw
// (jest: a setupFiles entry, a preset; pytest: a fixture every test uses, e.g. a session fixture
// in conftest.py), not the files. Hunting each failing file would confirm
// each one alone and name all of them `failing`, N innocent files for one broken setup (seen
// with a throwing jest setup file: 4 files, 10 runs, 4 `failing`). One run settles it instead:
// the first file alone fails with the same error, so nothing else in the batch is needed to
// make it; the finding names nobody and quotes the error (docs/verdicts.md, "unresolved").
// When the run alone does not show the same error, the usual hunts decide. Pure but for the
// injected executor.
import type { TestId } from '../plan/types.js';
import { makeUnresolvedFinding } from './findings.js';
import type { BatchHunt, Executor, TrialResult } from './types.js';

/** One hunt with its one finding, or undefined when the batch did not fail this way or the run alone did not confirm it. */
export async function settleSetupFailure(
  batchIndex: number,
  tests: readonly TestId[],
  original: TrialResult,
  executor: Executor,
  maxRuns: number,
): Promise<BatchHunt | undefined> {
  const setup = original.verdict.setupFailure;
  const [first] = tests;
  if (original.verdict.outcome !== 'failed' || setup === undefined || first === undefined || maxRuns < 1) return undefined;
  const alone = await executor.run([first]);
  const signature = { outcome: 'failed' as const, failingTest: first, signal: undefined };
  const hunt = { batchIndex, signature, runsUsed: 1, runsEstimated: 1, stopped: 'done' as const };
  if (alone.verdict.setupFailure !== setup) return undefined;
  const files = tests.length === 1 ? 'its one entry' : `all ${tests.length} entries`;
  const because =
    `every run fails before any test runs: ${setup}; ${files} failed to run with this same error in ${original.runId}, and ${first} ` +
    `alone did too (${alone.runId}); it names none of them, so it is in what the runner runs before each file ` +
    `(a setup file, a preset, the configuration): no test is named`;
  const finding = makeUnresolvedFinding({ batchIndex, signature }, tests, because, [original.runId, alone.runId]);
  return { ...hunt, findings: [{ ...finding, reproTests: [first] }] };
}
