// Names of runs: a batch's run and the runs made to narrow it. They sort with the batch
// index and name the run's files (logs/<runId>.log, probes/<runId>.jsonl).
import type { Batch } from './types.js';

/** "b003": sorts with the batch index, names the log file. */
export function batchRunId(batch: Batch): string {
  return `b${String(batch.index).padStart(3, '0')}`;
}

/** "b003-p02": the batch's second run after the batch run (a confirmation, a narrowing run, a survey's next process). */
export function followUpRunId(batch: Batch, n: number): string {
  return `${batchRunId(batch)}-p${String(n).padStart(2, '0')}`;
}
