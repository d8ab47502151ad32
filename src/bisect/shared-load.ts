// Files that each die of memory alone, before their first test starts, while the batch itself
// died before any test too, are not that many hogs: what every file loads (a conftest.py or a
// plugin imported for each, the runner's transform — ts-jest compiling each file — a shared
// heavy import) needs more than the budget. leakhunt's floor check runs the runner with no
// test file at all, so it cannot see that cost; halving then ends at every file and names
// each one (seen on jest-extended under ts-jest and on a suite whose conftest.py loads 150 MiB).
// Naming them would name innocents: one unresolved finding says what was learned instead.
// Only when every entry of the batch died so: where one entry passed alone (or the batch ran a
// test) the shared load fits the budget, and lone deaths before a test are the files' own (a
// module that allocates at import): those stay named.
// Pure: findings and run records in, findings out.
import type { TestId } from '../plan/types.js';
import type { RunRecord } from '../report/model.js';
import { makeUnresolvedFinding } from './findings.js';
import type { Finding } from './types.js';

const MEMORY_DEATHS: ReadonlySet<string> = new Set(['over-memory', 'oom-killed']);

/**
 * `findings` of one batch with its lone memory deaths before any test folded into one
 * unresolved finding, when every entry of the batch (`batchTests`, two or more) died so and
 * the batch's run (`batchRun`) started no test either. Only with the per-test probe
 * (`probed`): without it no run has records.
 */
export function foldSharedLoadDeaths(
  findings: readonly Finding[],
  runs: ReadonlyMap<string, RunRecord>,
  batchRun: RunRecord,
  batchTests: readonly TestId[],
  probed: boolean,
): Finding[] {
  const startedNoTest = (run: RunRecord | undefined): boolean => run !== undefined && (run.perTest?.length ?? 0) === 0;
  if (!probed || !startedNoTest(batchRun)) return [...findings];
  const diedLoading = findings.filter(
    (finding) =>
      finding.kind === 'hog' &&
      MEMORY_DEATHS.has(finding.signature.outcome) &&
      finding.evidenceRunIds.length > 0 &&
      finding.evidenceRunIds.every((runId) => startedNoTest(runs.get(runId))),
  );
  const [first] = diedLoading;
  const files = diedLoading.flatMap((finding) => finding.culprits);
  if (first === undefined || batchTests.length < 2 || !batchTests.every((entry) => files.includes(entry))) return [...findings];
  const evidence = [batchRun.runId, ...new Set(diedLoading.flatMap((finding) => finding.evidenceRunIds))];
  const because =
    `${files.length} entries each died ${first.signature.outcome} alone before their first test started, and so did the batch (${batchRun.runId}): ` +
    `what every file loads (a conftest.py or plugin, the runner's transform such as ts-jest, a shared import) needs more than the budget, ` +
    `so no test is named; raise --memory (leakhunt's floor check measures the runner without any test file)`;
  const folded = makeUnresolvedFinding({ batchIndex: first.batchIndex, signature: first.signature }, files, because, evidence);
  return [...findings.filter((finding) => !diedLoading.includes(finding)), folded];
}
