// Survey mode's decisions, pure (docs/how-it-works.md, "Survey mode"): the selection runs in
// one process, as in CI; when one dies, its per-test records name the test that was
// running, which is confirmed alone in one run, and the tests after it continue in a new
// process. Every culprit of a long run is found this way in about two runs each, where
// halving a batch of n costs ~2·log2 n. Anything the records do not settle (no single test
// running at a memory death, a plain test failure, a suspect that does not reproduce alone)
// goes to the usual narrowing: the attribution phase, then halving.
import { type Signature, signaturesOf } from '../classify/signature.js';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import type { PerTestRecord } from '../probe/records.js';
import { suspectFromRecords } from './suspect.js';

export type SurveyStep =
  /** The run passed, or failed in no way worth chasing: the survey of this segment is over. */
  | { readonly kind: 'done' }
  /** Run `suspect` alone once; if it shows `signature`, it is the culprit. */
  | { readonly kind: 'confirm'; readonly suspect: TestId; readonly signature: Signature; readonly because: string }
  /** The records do not name one test: narrow this run's tests the usual way. */
  | { readonly kind: 'narrow'; readonly why: string };

/** Deaths the survey reads from the records: the process ended in the middle of one test. */
const DEATHS = new Set(['over-memory', 'oom-killed', 'timeout', 'crashed']);

export function nextSurveyStep(
  verdict: Verdict,
  records: readonly PerTestRecord[],
  budgetBytes: number,
  wants: (signature: Signature) => boolean = () => true,
): SurveyStep {
  const signature = signaturesOf(verdict).find(wants);
  if (signature === undefined) return { kind: 'done' };
  if (!DEATHS.has(signature.outcome)) return { kind: 'narrow', why: `${signature.outcome} is not a death the records point at` };
  if (records.length === 0) return { kind: 'narrow', why: 'the run wrote no per-test records' };
  if (signature.outcome === 'over-memory' || signature.outcome === 'oom-killed') {
    // Weighed by what each test added: the test running at the kill of a slow accumulation
    // added little and is not named (the attribution phase fits the slope instead).
    const suspect = suspectFromRecords(records, budgetBytes);
    if (suspect !== undefined) return { kind: 'confirm', suspect: suspect.test, signature, because: suspect.because };
    return { kind: 'narrow', why: 'no one test made most of the memory' };
  }
  const running = records.filter((record) => !record.finished);
  const [only] = running;
  if (running.length === 1 && only !== undefined) {
    return {
      kind: 'confirm',
      suspect: only.test,
      signature,
      because: `it was running when the process ${signature.outcome === 'timeout' ? 'ran out of time' : 'crashed'}`,
    };
  }
  return {
    kind: 'narrow',
    why: running.length > 1 ? `${running.length} tests were running at once` : 'no test was running when the process died',
  };
}

/** True when `entry` (a planned test: a file, a node id, a jest file) holds the per-test id `test`. */
export function entryHolds(entry: TestId, test: TestId): boolean {
  return test === entry || test.startsWith(`${entry}::`) || test.startsWith(`${entry} > `);
}

/**
 * The planned entries after the one holding `culprit`: what the dead process never reached.
 * A file entry goes whole, so tests after the culprit in the same file are not surveyed
 * (the runner cannot be given "this file but one test" portably); undefined when no entry
 * holds the culprit (the records named something the plan does not know).
 */
export function entriesAfter(entries: readonly TestId[], culprit: TestId): TestId[] | undefined {
  const at = entries.findIndex((entry) => entryHolds(entry, culprit));
  return at < 0 ? undefined : entries.slice(at + 1);
}

/**
 * The planned entries from the one holding `test` on: after a timeout whose running test
 * passed alone, the process was only long, not hung: the survey resumes at that test. Undefined
 * when no entry holds it, or when it is the first entry (nothing finished: resuming there would
 * run the same list again).
 */
export function entriesFrom(entries: readonly TestId[], test: TestId): TestId[] | undefined {
  const at = entries.findIndex((entry) => entryHolds(entry, test));
  return at <= 0 ? undefined : entries.slice(at);
}
