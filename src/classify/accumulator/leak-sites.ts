// Which allocation lines an accumulator finding shows (docs/accumulators.md): the probe
// reports every line whose allocations grew while the contributors ran; a finding shows the
// few that explain the growth, one per contributor file at least.
import type { GrowthSite } from '../../probe/records.js';
import { formatBytes } from '../../util/bytes.js';

// A few KiB the interpreter cached on the way (regex caches…) are no leak site. The largest
// site comes first (a registry line every contributor feeds outgrows each file's own lines),
// then the largest line of each contributor file that has one, so no contributor file goes
// unrepresented when one file's lines are the biggest; then the rest by size: at least 5, and
// one per contributor file beside the largest.
export function leakSites(grown: readonly GrowthSite[], contributorFiles: readonly string[] = []): GrowthSite[] {
  const bySize = [...grown].sort((a, b) => b.sizeBytes - a.sizeBytes);
  const top = bySize[0]?.sizeBytes ?? 0;
  const kept = bySize.filter((site) => site.sizeBytes >= Math.max(256 * 1024, 0.01 * top));
  const picked: GrowthSite[] = kept.slice(0, 1);
  for (const file of contributorFiles) {
    const own = kept.find((site) => sameFile(site.site, file));
    if (own !== undefined && !picked.includes(own)) picked.push(own);
  }
  for (const site of kept) if (!picked.includes(site)) picked.push(site);
  return picked.slice(0, Math.max(5, 1 + contributorFiles.length));
}

// A site is "path:line" and a contributor a file, both in the user's frame (pipeline/bisect-phase.ts
// translates the probe's sites): the same file is spelled the same.
function sameFile(site: string, file: string): boolean {
  return site.replace(/:\d+$/, '') === file;
}

/** "shop/metrics.py:6 +144 MiB in 2 304 blocks"; jest's sampled "src/metrics.js:9 +23 MiB by observe() (V8 sampling)". */
export function siteText(site: GrowthSite): string {
  if (site.sampled === true)
    return `${site.site} +${formatBytes(site.sizeBytes)} by ${site.function ? `${site.function}()` : 'an anonymous function'} (V8 sampling)`;
  return `${site.site} +${formatBytes(site.sizeBytes)} in ${site.count.toLocaleString('en-US').replace(/,/g, ' ')} blocks`;
}
