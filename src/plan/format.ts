// How a plan looks to people (`leakhunt plan`) and to scripts (`leakhunt plan --json`).
// Text: a summary line, then one line per batch; a batch whose tests do not fit the width
// lists one test per indented line instead, since test ids are long and read best whole.
// JSON: a stable shape (null, never a missing key) that other tools may depend on.
import { countEntries, countOf, type EntryNoun, entryNoun } from '../selection/count-words.js';
import type { Plan, TestId } from './types.js';

export interface PlanTextOptions {
  /** Lines longer than this switch to one test per line. Default 100. */
  readonly widthColumns?: number;
}

const DEFAULT_WIDTH_COLUMNS = 100;
const TEST_INDENT = '    ';

export function formatPlanText(plan: Plan, options: PlanTextOptions = {}): string {
  const widthColumns = options.widthColumns ?? DEFAULT_WIDTH_COLUMNS;
  // One word for the whole plan: "9 files" for 9 files, as `run` says it (selection/count-words.ts).
  const noun = entryNoun(plan.batches.flatMap((batch) => batch.tests));
  const lines = [describePlan(plan, noun)];
  for (const batch of plan.batches) {
    const header = `batch ${batch.index}/${plan.batches.length} (${countEntries(batch.tests, noun)})`;
    const oneLine = `${header}: ${batch.tests.join(', ')}`;
    if (oneLine.length <= widthColumns) lines.push(oneLine);
    else lines.push(`${header}:`, ...batch.tests.map((test) => `${TEST_INDENT}${test}`));
  }
  return `${lines.join('\n')}\n`;
}

function describePlan(plan: Plan, noun: EntryNoun): string {
  const testCount = plan.batches.reduce((sum, batch) => sum + batch.tests.length, 0);
  const batchWord = plan.batches.length === 1 ? 'batch' : 'batches';
  const shape =
    plan.batchSize !== undefined
      ? `${batchWord} of up to ${plan.batchSize}`
      : plan.batches.length === 1
        ? batchWord
        : `near-equal ${batchWord}`;
  const order = plan.seed === undefined ? 'in selection order' : `shuffled with seed ${plan.seed}`;
  return `${countOf(testCount, noun)} in ${plan.batches.length} ${shape}, ${order}`;
}

export interface PlanJson {
  readonly testCount: number;
  readonly batchCount: number;
  /** null when the plan was made with --batches K. */
  readonly batchSize: number | null;
  /** null when the tests kept their selection order. */
  readonly seed: number | null;
  readonly batches: readonly { readonly index: number; readonly tests: readonly TestId[] }[];
}

export function planToJson(plan: Plan): PlanJson {
  return {
    testCount: plan.batches.reduce((sum, batch) => sum + batch.tests.length, 0),
    batchCount: plan.batches.length,
    batchSize: plan.batchSize ?? null,
    seed: plan.seed ?? null,
    batches: plan.batches.map((batch) => ({ index: batch.index, tests: [...batch.tests] })),
  };
}
