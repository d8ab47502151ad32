// The jest probe names allocation sites in the code V8 ran, which babel-jest, coverage
// instrumentation or ts-jest rewrote (in a covered file the registry's function sits on line
// 373, not 9). Each such file's source map comes with the sites (src/probe/jest/heap-sites.cjs);
// here the sites are put back into the user's files. Maps are read with @jridgewell/trace-mapping
// (jest's own reader), not by hand.
import { originalPositionFor, type SourceMapInput, TraceMap } from '@jridgewell/trace-mapping';
import type { GrowthSite } from './growth-site.js';

/**
 * Sites with a generated position (`column` set) and a map for their file, moved to the line
 * the map gives (the allocating function's first line in the user's file); sites that end on
 * the same line and function are added up, largest first. Others stay as they are.
 */
export function sitesInSources(sites: readonly GrowthSite[], maps: ReadonlyMap<string, unknown>): GrowthSite[] {
  const traces = new Map<string, TraceMap | undefined>();
  const traceOf = (file: string): TraceMap | undefined => {
    if (!traces.has(file)) {
      let trace: TraceMap | undefined;
      try {
        trace = maps.has(file) ? new TraceMap(maps.get(file) as SourceMapInput) : undefined;
      } catch {
        trace = undefined; // a map we cannot read: the generated line is still a place to look
      }
      traces.set(file, trace);
    }
    return traces.get(file);
  };
  const merged = new Map<string, GrowthSite>();
  for (const grown of sites) {
    const { column, ...site } = grown;
    const where = /^(.*):(\d+)$/.exec(site.site);
    const trace = column === undefined || where === null ? undefined : traceOf(where[1]!);
    let mapped = site;
    if (trace !== undefined && column !== undefined && where !== null) {
      const original = originalPositionFor(trace, { line: Number(where[2]), column });
      if (original.source !== null && original.line !== null) mapped = { ...site, site: `${original.source}:${original.line}` };
    }
    const key = `${mapped.site}\u0000${mapped.function ?? ''}`;
    const earlier = merged.get(key);
    merged.set(
      key,
      earlier === undefined ? mapped : { ...earlier, sizeBytes: earlier.sizeBytes + mapped.sizeBytes, count: earlier.count + mapped.count },
    );
  }
  return [...merged.values()].sort((a, b) => b.sizeBytes - a.sizeBytes);
}
