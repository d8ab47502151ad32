// What narrowing one batch returns and how its runs are counted: shared by bisect-phase.ts,
// survey-phase.ts and recorded-failures.ts without those importing each other (npm run cycles).
import type { AttributedFinding } from '../bisect/attribution.js';
import type { BatchHunt } from '../bisect/types.js';
import type { TrialLanes } from '../execute/schedule.js';

export interface Narrowed {
  readonly hunts: readonly BatchHunt[];
  readonly findings: readonly AttributedFinding[];
}

/** The runs of one batch's hunt: their numbering, and the lanes they run in (none: one at a time). */
export interface RunCounter {
  count: number;
  readonly lanes?: TrialLanes;
  /** Run ids ("b001") and tests ("test <id>") whose failures recorded before a death were confirmed (recorded-failures.ts). */
  failuresChecked?: Set<string>;
}
