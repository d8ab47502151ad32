// One finding per polluter: a polluter that breaks several tests of a batch was found once per
// victim (each failing test is its own hunt); people fix it once, so it is reported once, with
// the list of its victims. Pure: findings in, findings out, in the order first seen.
import type { Finding } from './types.js';

export function mergePolluterFindings(findings: readonly Finding[]): Finding[] {
  const merged: Finding[] = [];
  const byPolluter = new Map<string, number>();
  for (const finding of findings) {
    if (finding.kind !== 'polluter' || finding.victim === undefined) {
      merged.push(finding);
      continue;
    }
    const key = `${finding.batchIndex}\u0001${finding.culprits.join('\u0000')}`;
    const at = byPolluter.get(key);
    const first = at === undefined ? undefined : merged[at];
    if (at === undefined || first === undefined) {
      byPolluter.set(key, merged.length);
      merged.push({ ...finding, victims: finding.victims ?? [finding.victim] });
      continue;
    }
    const victims = [...(first.victims ?? []), ...(finding.victims ?? [finding.victim])];
    merged[at] = {
      ...first,
      victims: [...new Set(victims)],
      because: `${first.because}; also breaks ${finding.victim}: ${finding.because}`,
      evidenceRunIds: [...new Set([...first.evidenceRunIds, ...finding.evidenceRunIds])],
      ...(first.cleaners !== undefined || finding.cleaners !== undefined
        ? { cleaners: [...new Set([...(first.cleaners ?? []), ...(finding.cleaners ?? [])])] }
        : {}),
    };
  }
  return merged;
}
