// One finding per polluter: a polluter that breaks several tests of a batch was found once per
// victim (each failing test is its own hunt); people fix it once, so it is reported once, with
// the list of its victims. The same holds across batches: one polluter whose victims fell in
// two batches was hunted in each, and is reported once (the first batch's finding, with every
// victim). Pure: findings in, findings out, in the order first seen.
import type { Finding } from './types.js';

export interface MergeOptions {
  /** Merge findings of different batches too (the whole report); default: within one batch. */
  readonly acrossBatches?: boolean;
}

// A polluter of pyflakes' builtins broke 116 real tests: its `because` was one sentence of 115
// "also breaks …" clauses. The first victims' evidence is spelled out; the rest are counted.
const SPELLED_VICTIMS = 3;
const COUNTED_VICTIMS = /; \d+ victims in all \(listed in victims\), each passing alone and failing after .*$/;

export function mergePolluterFindings<T extends Finding>(findings: readonly T[], options: MergeOptions = {}): T[] {
  const merged: T[] = [];
  const byPolluter = new Map<string, number>();
  for (const finding of findings) {
    if (finding.kind !== 'polluter' || finding.victim === undefined) {
      merged.push(finding);
      continue;
    }
    const batchKey = options.acrossBatches === true ? '' : String(finding.batchIndex);
    const key = `${batchKey}\u0001${finding.culprits.join('\u0000')}`;
    const at = byPolluter.get(key);
    const first = at === undefined ? undefined : merged[at];
    if (at === undefined || first === undefined) {
      byPolluter.set(key, merged.length);
      // Across batches a finding is only rewritten when merged (a report read back stays as written).
      merged.push(options.acrossBatches === true ? finding : { ...finding, victims: finding.victims ?? [finding.victim] });
      continue;
    }
    const firstVictims = first.victims ?? (first.victim === undefined ? [] : [first.victim]);
    const victims = [...firstVictims, ...(finding.victims ?? [finding.victim])];
    const where = finding.batchIndex === first.batchIndex ? '' : ` in batch ${finding.batchIndex}`;
    const also = (finding.victims ?? [finding.victim]).filter((victim) => !firstVictims.includes(victim));
    const allVictims = [...new Set(victims)];
    merged[at] = {
      ...first,
      victims: allVictims,
      because:
        firstVictims.length < SPELLED_VICTIMS
          ? `${first.because}; also breaks ${also.join(', ') || finding.victim}${where}: ${finding.because}`
          : `${first.because.replace(COUNTED_VICTIMS, '')}; ${allVictims.length} victims in all (listed in victims), each passing alone and failing after ${first.culprits.join(' + ')}`,
      evidenceRunIds: [...new Set([...first.evidenceRunIds, ...finding.evidenceRunIds])],
      ...(first.cleaners !== undefined || finding.cleaners !== undefined
        ? { cleaners: [...new Set([...(first.cleaners ?? []), ...(finding.cleaners ?? [])])] }
        : {}),
    };
  }
  return merged;
}
