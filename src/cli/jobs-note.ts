// The line `run` prints about --jobs before the first run: what runs side by side. In survey
// mode the selection is one process (one per shard), so no two batches ever run at once; what
// goes side by side there is a death's confirmation beside the process that continues, and the
// trials that narrow it. With one batch, likewise only its trials.
import { formatBytes } from '../util/bytes.js';

export interface JobsNoteInput {
  readonly jobs: number;
  readonly survey: boolean;
  /** Batches (survey: processes) in the plan. */
  readonly batches: number;
  readonly totalMemoryBytes: number | undefined;
}

/** undefined when nothing runs side by side (--jobs 1). */
export function jobsNote(input: JobsNoteInput): string | undefined {
  if (input.jobs <= 1) return undefined;
  const within = input.totalMemoryBytes === undefined ? 'no memory total' : `a ${formatBytes(input.totalMemoryBytes)} memory total`;
  if (input.survey) {
    const processes = input.batches > 1 ? 'runs in one process per shard' : 'runs in one process';
    return `--jobs ${input.jobs}: the selection ${processes}; the runs that confirm and narrow a failure go side by side within ${within}`;
  }
  if (input.batches <= 1) return `--jobs ${input.jobs}: one batch; the runs that narrow a failure go side by side within ${within}`;
  return `--jobs ${input.jobs}: batches run side by side within ${within}`;
}
