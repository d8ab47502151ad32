// Where the memory a jest (or vitest) run keeps was allocated: "the line that leaks" of an
// accumulator (docs/accumulators.md), asked for on its confirmation run only
// (LEAKHUNT_TRACE_SITES=1). Writes the same "sites" lines as the pytest probe's tracemalloc
// snapshots, plus one "sourcemap" line per transformed file, to the probe file:
//   {"event":"sites","test","pid","sites":[{"site":"src/metrics.js:9","column","function","sizeBytes","count","sampled":true}]}
//   {"event":"sourcemap","file":"src/metrics.js","pid","map":{…sources relative to the cwd…}}
// leakhunt maps each site's generated line and column through its file's map
// (src/probe/source-maps.ts): babel-jest, coverage instrumentation and ts-jest move lines.
//
// Mechanism: V8's sampling heap profiler through an in-process node:inspector session. It
// samples about one allocation per 32 KiB with the JS stack at that moment and drops a sample
// when its object is collected, so after a full GC the profile holds what is still alive of
// what was allocated since sampling started, by stack: the growth since the run's first test.
// Cheap enough to leave on for the whole run (docs/accumulators.md gives the measured cost);
// a heap snapshot would double the heap of a run that is dying of memory and name no
// allocating function. V8 keys samples by function: the line is where the allocating
// function starts, its name comes with it. Memory outside V8's heap (Buffer and ArrayBuffer
// contents) is not sampled. The profile is plain JSON from V8: walked here by hand (no
// parser involved); the source maps are read by a library on leakhunt's side.
'use strict';

const inspector = require('node:inspector');
const path = require('node:path');
const v8 = require('node:v8');
const { fileURLToPath } = require('node:url');

const SAMPLING_INTERVAL_BYTES = 32 * 1024; // V8's default
const TOP_SITES = 20;
// jest gives every test file a fresh copy of the probe (a fresh module registry), but one
// sampling must span the whole run; core modules are the process's own, so the session
// hangs off node:inspector's module object, under a registered symbol nobody else uses.
const SHARED = Symbol.for('leakhunt.heapSites');
const PROBE_FILES = new Set([__filename, path.join(__dirname, 'setup.cjs')]);

/** The process's one sampler, started on first use; undefined when V8 refuses (never fails a run). */
function heapSampler() {
  if (inspector[SHARED] !== undefined) return inspector[SHARED] || undefined;
  try {
    // An optimized caller inlines the function that allocates, and V8 then reports the
    // caller (a registry's push lands on the test's loop). Only code optimized from here on.
    v8.setFlagsFromString('--no-turbo-inlining');
    const session = new inspector.Session();
    session.connect();
    post(session, 'HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
    inspector[SHARED] = { session, startBytes: undefined, lastGrowth: 0, mapsSent: new Set() };
  } catch {
    inspector[SHARED] = null;
  }
  return inspector[SHARED] || undefined;
}

// The in-thread session answers synchronously: the callback has run when post returns.
function post(session, method, params) {
  let failure;
  let answer;
  session.post(method, params, (error, result) => {
    failure = error;
    answer = result;
  });
  if (failure) throw failure;
  return answer;
}

/**
 * Sites are written after a test whose retained figure (heap used + external after a GC)
 * grew by half (+4 MiB) since the last write, and at each file's end: a run killed for
 * memory still has a list within 50 % of where it died, at a few GCs per run.
 */
function sitesDue(sampler, retainedBytes) {
  if (sampler.startBytes === undefined) sampler.startBytes = retainedBytes;
  return retainedBytes - sampler.startBytes >= 1.5 * sampler.lastGrowth + 4 * 1024 * 1024;
}

function writeSites(sampler, test, emit, retainedBytes) {
  try {
    if (typeof globalThis.gc === 'function') globalThis.gc(); // a sample leaves with its object
    if (retainedBytes !== undefined && sampler.startBytes !== undefined) sampler.lastGrowth = retainedBytes - sampler.startBytes;
    const { profile } = post(sampler.session, 'HeapProfiler.getSamplingProfile');
    const sites = topSites(profile, process.cwd());
    for (const file of sourceMapsNeeded(sampler, sites)) emit({ event: 'sourcemap', file: file.file, map: file.map });
    emit({ event: 'sites', test, sites });
  } catch {
    /* no sites: the finding simply has none */
  }
}

// Each sample is attributed to the innermost frame in the user's code: an allocation inside
// node_modules, jest or Node's builtins is charged to the user function that called it.
function topSites(profile, cwd) {
  const nodes = new Map();
  const parent = new Map();
  const stack = [profile.head];
  while (stack.length > 0) {
    const node = stack.pop();
    nodes.set(node.id, node);
    for (const child of node.children) {
      parent.set(child.id, node);
      stack.push(child);
    }
  }
  const userNode = new Map();
  const userOf = (node) => {
    const chain = [];
    let at = node;
    while (at !== undefined && !userNode.has(at.id)) {
      if (userFile(at.callFrame.url, cwd) !== undefined) break;
      chain.push(at);
      at = parent.get(at.id);
    }
    const found = at === undefined ? null : userNode.has(at.id) ? userNode.get(at.id) : at;
    for (const visited of chain) userNode.set(visited.id, found);
    if (at !== undefined) userNode.set(at.id, found);
    return found;
  };
  const bySite = new Map();
  for (const sample of profile.samples ?? []) {
    const node = userOf(nodes.get(sample.nodeId));
    if (!node) continue;
    const frame = node.callFrame;
    const key = `${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}\u0000${frame.functionName}`;
    let site = bySite.get(key);
    if (site === undefined) {
      const file = userFile(frame.url, cwd);
      site = {
        site: `${file.relative}:${frame.lineNumber + 1}`,
        column: frame.columnNumber,
        function: frame.functionName,
        url: frame.url,
        scriptId: frame.scriptId,
        sizeBytes: 0,
        count: 0,
      };
      bySite.set(key, site);
    }
    // V8 has already scaled a sample's size to the bytes it stands for (an allocation of s
    // bytes is sampled with probability 1 − e^(−s/interval)); how many objects it stands for
    // is not told, so count is the number of samples.
    site.sizeBytes += sample.size;
    site.count += 1;
  }
  return [...bySite.values()]
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, TOP_SITES)
    .map((site) => ({ ...site, sampled: true }));
}

/** { absolute, relative } for a file of the user's project (under the cwd, outside node_modules). */
function userFile(url, cwd) {
  if (!url) return undefined;
  let absolute;
  try {
    absolute = url.startsWith('file://') ? fileURLToPath(url) : url;
  } catch {
    return undefined;
  }
  if (!path.isAbsolute(absolute) || PROBE_FILES.has(absolute)) return undefined;
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  if (relative.split(path.sep).includes('node_modules')) return undefined;
  return { absolute, relative: relative.split(path.sep).join('/') };
}

// The maps of the sites' files not sent yet by this process. V8 tells a script's
// sourceMappingURL only to a debugger, so the debugger is on for the moment it takes to list
// the scripts (a few hundred ms on a jest process); a file already sent is not asked again.
function sourceMapsNeeded(sampler, sites) {
  const wanted = new Map();
  for (const site of sites) {
    const file = site.site.replace(/:\d+$/, '');
    if (!sampler.mapsSent.has(file)) wanted.set(site.scriptId, { file, url: site.url });
  }
  for (const site of sites) {
    delete site.url;
    delete site.scriptId;
  }
  if (wanted.size === 0) return [];
  const found = [];
  const onScript = (message) => {
    const script = wanted.get(message.params.scriptId);
    if (script === undefined || !message.params.sourceMapURL) return;
    const map = readMap(message.params.sourceMapURL, script.url);
    if (map !== undefined) found.push({ file: script.file, map });
  };
  sampler.session.on('Debugger.scriptParsed', onScript);
  try {
    post(sampler.session, 'Debugger.enable', {});
  } finally {
    sampler.session.removeListener('Debugger.scriptParsed', onScript);
    try {
      post(sampler.session, 'Debugger.disable', {});
    } catch {
      /* already off */
    }
  }
  for (const script of wanted.values()) sampler.mapsSent.add(script.file);
  return found;
}

// An inline map (babel-jest, ts-jest) or one beside the script; its sources made relative to
// the cwd so leakhunt reads them like the sites.
function readMap(sourceMapURL, scriptUrl) {
  try {
    const scriptPath = scriptUrl.startsWith('file://') ? fileURLToPath(scriptUrl) : scriptUrl;
    let text;
    const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/s.exec(sourceMapURL);
    if (inline) text = inline[1] ? Buffer.from(inline[2], 'base64').toString('utf8') : decodeURIComponent(inline[2]);
    else text = require('node:fs').readFileSync(path.resolve(path.dirname(scriptPath), sourceMapURL), 'utf8');
    const map = JSON.parse(text);
    if (!Array.isArray(map.sources)) return undefined;
    const root = map.sourceRoot ?? '';
    map.sources = map.sources.map((source) => {
      const absolute = source.startsWith('file://') ? fileURLToPath(source) : path.resolve(path.dirname(scriptPath), root, source);
      return path.relative(process.cwd(), absolute).split(path.sep).join('/');
    });
    delete map.sourceRoot;
    delete map.sourcesContent; // the code itself: not needed to map a line, and large
    return map;
  } catch {
    return undefined;
  }
}

module.exports = { heapSampler, sitesDue, writeSites };
