// leakhunt per-test probe for jest, passed with --setupFilesAfterEnv after the user's own
// setup files (src/probe/attach.ts reads those with `jest --showConfig`: the CLI flag
// replaces the config's list). It decides nothing: it appends one JSON line per event to
// LEAKHUNT_PROBE_FILE, in the format src/probe/records.ts reads (shared with the pytest probe).
//   {"event":"start","test","file","pid","worker", "tMs", rssBeforeBytes, heapBeforeGcBytes?}   before each test (tMs: epoch ms);
//      heapBeforeGcBytes on a file's first test: after the file loaded and its beforeAll hooks ran, after a full GC;
//      rssBeforeBytes: what a test killed before its phase line started from (vitest's first test of a file in a fresh fork)
//   {"event":"phase","phase":"test", …rssBeforeBytes, rssAfterBytes, peakBytes,
//    heapBeforeBytes, heapAfterGcBytes?, rssAfterGcBytes?, childrenRssBytes, durationMs, leftovers}
// heapAfterGcBytes (heap used + external after a full GC: the retained series of
// docs/accumulators.md) needs NODE_OPTIONS=--expose-gc. A full GC of jest's heap costs
// 30–170 ms, so it runs only when it can change the series: after each test a cheap minor
// GC, then heap used + external is an upper bound of what the process retains; when it is
// within LEAKHUNT_GC_STEP_BYTES (default 512 KiB) of the last post-GC figure, the test kept
// at most that much and the last figure is carried (retainedCarried: true). Any test keeping
// more triggers the full GC right after itself, so it is measured as before; what tests below
// the step kept lands, summed, on the next measured test. LEAKHUNT_GC_EVERY_TEST=1 restores
// a full GC after every test. Loading a file (its modules, coverage counters) happens between
// its baseline and the previous file's last test, so the runner's own growth per file is no
// test's growth (a load under the step is carried like a test's).
// LEAKHUNT_TRACE_SITES=1 (an accumulator's confirmation run): where the kept memory was
// allocated, by V8's sampling heap profiler (heap-sites.cjs).
// Without LEAKHUNT_PROBE_FILE this file does nothing.
// It runs once per test file inside jest's sandbox, hence one descriptor per file.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const probePath = process.env.LEAKHUNT_PROBE_FILE;

// Under jest the hooks are globals. vitest's setup file (src/probe/vitest/setup.mjs) calls
// installProbe with its own hooks: one measuring code for both runners.
if (probePath && typeof beforeEach === 'function' && typeof expect === 'function') {
  installProbe(probePath, { beforeAll, beforeEach, afterEach, afterAll, state: () => expect.getState() });
}
module.exports = { installProbe };

function installProbe(file, hooks) {
  const fd = fs.openSync(file, 'a');
  // Records already in this run's file: a test file ran before this one (in this process when
  // in band), so its vm context may still be waiting to be freed (beforeAll below).
  const afterAnotherFile = fs.fstatSync(fd).size > 0;
  const pageBytes = 4096; // statm counts pages; 4 KiB on every Linux leakhunt targets (x86-64, arm64 default)
  const worker = process.env.JEST_WORKER_ID;
  let current;
  let baselineDue = false; // set in beforeAll: the file's first test measures its baseline
  const canGc = typeof globalThis.gc === 'function';
  // Below the rule's least contributor (1 MiB, src/classify/accumulator/rule.ts), so what is
  // carried can neither make an innocent test a contributor nor hide one.
  const gcStepBytes = Number(process.env.LEAKHUNT_GC_STEP_BYTES) > 0 ? Number(process.env.LEAKHUNT_GC_STEP_BYTES) : 512 * 1024;
  const gcEveryTest = process.env.LEAKHUNT_GC_EVERY_TEST === '1';
  let lastRetained; // heap used + external after the last full GC in this file's sandbox
  const traceSites = process.env.LEAKHUNT_TRACE_SITES === '1';
  // Loaded only for a confirmation run: jest loads (and, outside node_modules, transforms) a
  // setup file's requires again for every test file, and most runs never sample.
  const { heapSampler, sitesDue, writeSites } = traceSites ? require('./heap-sites.cjs') : {};
  let sampler; // started at this file's first test (the run's first starts the sampling)
  let lastTest;

  const emit = (record) => {
    record.pid = process.pid;
    if (worker !== undefined) record.worker = worker;
    // One write per line, O_APPEND: lines of parallel workers stay whole.
    fs.writeSync(fd, `${JSON.stringify(record)}\n`);
  };

  hooks.beforeEach(() => {
    const state = hooks.state();
    const relFile = path
      .relative(process.cwd(), state.testPath || '')
      .split(path.sep)
      .join('/');
    const test = `${relFile} > ${state.currentTestName}`;
    const start = { event: 'start', test, file: relFile, tMs: Date.now() };
    // The file's "before", taken here rather than in beforeAll: after every beforeAll of the
    // file (the user's run after the probe's), so a table a beforeAll builds and an afterAll
    // drops is between tests, nobody's growth (it read as +18 and +24 MiB on two first tests).
    if (baselineDue) start.heapBeforeGcBytes = retainedFigure().bytes;
    baselineDue = false;
    // A test killed mid-run writes no phase line: without this, the first test of a process
    // read as starting from 0 bytes ("grew the process tree by 286 MiB (100% of the budget)").
    start.rssBeforeBytes = process.memoryUsage().rss;
    emit(start);
    if (traceSites && sampler === undefined) {
      sampler = heapSampler();
      if (sampler !== undefined && sampler.startBytes === undefined) sampler.startBytes = lastRetained;
    }
    resetPeak();
    const usage = process.memoryUsage();
    current = {
      test,
      file: relFile,
      childrenBefore: new Set(descendants()),
      started: process.hrtime.bigint(),
      rssBeforeBytes: usage.rss,
      heapBeforeBytes: usage.heapUsed + usage.external,
    };
  });

  hooks.afterEach(() => {
    if (current === undefined) return;
    const durationMs = Number(process.hrtime.bigint() - current.started) / 1e6;
    const peakBytes = readPeak();
    const rssAfterBytes = process.memoryUsage().rss;
    const record = {
      event: 'phase',
      test: current.test,
      file: current.file,
      phase: 'test',
      rssBeforeBytes: current.rssBeforeBytes,
      rssAfterBytes,
      peakBytes: Math.max(peakBytes, rssAfterBytes),
      heapBeforeBytes: current.heapBeforeBytes,
      durationMs: Math.round(durationMs * 1000) / 1000,
    };
    // Garbage is not a leak: measure what survives a full collection (when it can differ).
    if (canGc) {
      const retained = retainedFigure();
      record.heapAfterGcBytes = retained.bytes;
      if (retained.rss !== undefined) record.rssAfterGcBytes = retained.rss;
      else record.retainedCarried = true;
    }
    const children = descendants();
    record.childrenRssBytes = children.reduce((sum, pid) => sum + rssOf(pid), 0);
    record.leftovers = children
      .filter((pid) => !current.childrenBefore.has(pid))
      .map(describeProcess)
      .filter(Boolean);
    record.tMs = Date.now(); // the test's window ends here: an orphan started before is its
    emit(record);
    lastTest = current.test;
    if (sampler !== undefined && record.heapAfterGcBytes !== undefined && sitesDue(sampler, record.heapAfterGcBytes))
      writeSites(sampler, current.test, emit, record.heapAfterGcBytes);
    current = undefined;
  });

  // Runs after the test file's body (its imports) and before its first test; a runner
  // without such a hook (its adapter passes none) gives the first test the file's loading.
  // jest lets go of the previous file's environment (its module registry, coverage
  // counters: 0.8–3.5 MiB a file on the coverage fixture) a turn or a timer later: a baseline
  // taken at once counted it, and its release showed as a negative growth of each file's first
  // test (noise of σ ≈ 3 MiB that hid a registry keeping 5 MiB per test, and a feeder file's
  // first test too small to be named). Measured unloaded: all of it is gone after a 10 ms
  // timer, so the baseline waits that long (0.3 s over a 34-file suite); under heavy load
  // jest's reporters can take longer (docs/accumulators.md). Waiting for the environment to be
  // collected (a WeakRef) was tried: an environment the user's code keeps alive never goes.
  // Even let go of, the previous file's vm context outlives one full GC: node drops its hold
  // on a context in the weak callback that GC runs, so only the next GC frees it. With the
  // baseline's GC alone, every later file's first test read 0.8–3.8 MiB low (the bundled
  // example, and 9 of 10 files of jest-extended) and paid a full GC for that drop; one full GC
  // here first frees it, and the count stays the same (docs/accumulators.md).
  hooks.beforeAll?.(async () => {
    if (!canGc) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setImmediate(resolve));
    if (afterAnotherFile) {
      globalThis.gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    baselineDue = true;
  });

  hooks.afterAll(() => {
    if (sampler !== undefined && lastTest !== undefined) writeSites(sampler, lastTest, emit, lastRetained);
    fs.closeSync(fd);
  });

  // The retained figure (heap used + external after a full GC), or the last one carried when
  // a full GC cannot move it by more than the step. Sound because heap used never counts
  // less than the live objects: after a minor GC (~0.2 ms: jest's per-test garbage is young)
  // it is an upper bound of the retained figure, so |bound − last| ≤ step means the retained
  // figure moved by at most the step (a drop over the step, memory freed, is measured too).
  // The full GC costs 30–170 ms per call on jest's heap (docs/accumulators.md).
  function retainedFigure() {
    if (lastRetained !== undefined && !gcEveryTest) {
      try {
        globalThis.gc({ type: 'minor' });
      } catch {
        /* a V8 without typed gc(): the bound holds less tightly */
      }
      const usage = process.memoryUsage();
      if (Math.abs(usage.heapUsed + usage.external - lastRetained) <= gcStepBytes) return { bytes: lastRetained };
    }
    globalThis.gc();
    const usage = process.memoryUsage();
    lastRetained = usage.heapUsed + usage.external;
    return { bytes: lastRetained, rss: usage.rss };
  }

  // "5" resets VmHWM to the current RSS, so VmHWM after the test is the test's own peak.
  function resetPeak() {
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not Linux: peak = RSS after */
    }
  }

  function readPeak() {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  function rssOf(pid) {
    try {
      return Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * pageBytes;
    } catch {
      return 0;
    }
  }

  function descendants() {
    const found = [];
    const queue = [process.pid];
    while (queue.length > 0) {
      const pid = queue.pop();
      let tasks = [];
      try {
        tasks = fs.readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const task of tasks) {
        let kids = [];
        try {
          kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
        } catch {
          continue;
        }
        found.push(...kids);
        queue.push(...kids);
      }
    }
    return found;
  }

  function describeProcess(pid) {
    try {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop().trim().split(' ')[0];
      return { pid, state, command };
    } catch {
      return undefined;
    }
  }
}
