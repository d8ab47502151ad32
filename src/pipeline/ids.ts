// Names of runs and the bridge from a recorded run to what bisection sees.
import type { ProbeResult } from '../bisect/types.js';
import type { Batch } from '../plan/types.js';
import type { RunRecord } from '../report/model.js';

/** "b003": sorts with the batch index, names the log file. */
export function batchRunId(batch: Batch): string {
  return `b${String(batch.index).padStart(3, '0')}`;
}

export function toProbe(record: RunRecord): ProbeResult {
  return {
    tests: record.tests,
    verdict: record.verdict,
    peakBytes: record.evidence.peakBytes,
    durationMs: record.evidence.durationMs,
    runId: record.runId,
  };
}
