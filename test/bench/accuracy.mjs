// Memory accuracy: processes that allocate a known amount (50/200/800 MB; one process, or a
// tree of 4 sharing it), measured three ways in separate runs of the same command:
//  - leakhunt's recorded peak (executor API, each backend; budget far above, so nothing dies);
//  - the reference: `memory.max_usage_in_bytes` of a fresh v1 cgroup made here for the purpose;
//  - GNU `time -v` max RSS, run inside that reference group (it sees the largest single
//    process, not the tree: docs/platform.md §5).
// Error is leakhunt against each reference, in %. The median of the repetitions is reported.
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, MiB, median, removeDir, round, run, scratchDir, sleep } from './lib.mjs';

const ALLOC = join(FIXTURES, 'alloc.py');
const V1_MEMORY = '/sys/fs/cgroup/memory';

export async function benchAccuracy({ quick, reps, executorApi }) {
  const rounds = reps ?? (quick ? 1 : 3);
  const scratch = scratchDir('accuracy');
  const executors = {
    cgroup: await executorApi.createProcessExecutor({ backend: 'auto' }),
    'sampler (20 ms)': await executorApi.createProcessExecutor({ backend: 'sampler' }),
    'sampler (50 ms)': await executorApi.createProcessExecutor({ backend: 'sampler', sampleIntervalMs: 50 }),
  };
  const rows = [];
  try {
    for (const allocMb of [50, 200, 800]) {
      for (const procs of [1, 4]) {
        const argv = ['python3', ALLOC, String(allocMb), String(procs), '--hold-ms', '300'];
        const reference = await measureReference(argv, rounds, scratch);
        for (const [backend, executor] of Object.entries(executors)) {
          const seen = await measureWithLeakhunt(executor, argv, rounds, scratch);
          rows.push(accuracyRow(backend, allocMb, procs, seen, reference));
        }
        process.stderr.write(`  accuracy: ${allocMb} MB × ${procs} procs: ref cgroup ${round(reference.cgroupBytes / MiB)} MiB\n`);
      }
    }
  } finally {
    await Promise.all(Object.values(executors).map((e) => e.close()));
    removeDir(scratch);
  }
  return rows;
}

function accuracyRow(backend, allocMb, procs, seen, reference) {
  const pct = (value, ref) => (ref > 0 ? round(((value - ref) / ref) * 100, 1) : undefined);
  return {
    backend,
    allocMb,
    procs,
    leakhuntMiB: round(seen.peakBytes / MiB, 1),
    samplerMiB: round(seen.seriesPeakBytes / MiB, 1),
    cgroupRefMiB: round(reference.cgroupBytes / MiB, 1),
    gnuTimeMiB: round(reference.timeBytes / MiB, 1),
    errVsCgroupPct: pct(seen.peakBytes, reference.cgroupBytes),
    errVsTimePct: pct(seen.peakBytes, reference.timeBytes),
  };
}

async function measureWithLeakhunt(executor, argv, rounds, scratch) {
  const peaks = [];
  const seriesPeaks = [];
  for (let i = 0; i < rounds; i += 1) {
    const outcome = await executor.run({
      runId: `acc-${i}`,
      argv,
      cwd: scratch,
      env: {},
      budget: { memoryBytes: 4 * 1024 ** 3, timeoutMs: 60_000, graceMs: 1000 },
      logPath: join(scratch, 'acc.log'),
    });
    if (outcome.exitCode !== 0) throw new Error(`accuracy run failed: ${JSON.stringify({ ...outcome, memorySeries: undefined })}`);
    peaks.push(outcome.peakBytes);
    seriesPeaks.push(Math.max(0, ...outcome.memorySeries.map((s) => s.bytes)));
  }
  return { peakBytes: median(peaks), seriesPeakBytes: median(seriesPeaks) };
}

/** The same command in a fresh, unlimited v1 memory group, under GNU time. */
async function measureReference(argv, rounds, scratch) {
  const cgroupPeaks = [];
  const timePeaks = [];
  for (let i = 0; i < rounds; i += 1) {
    const group = join(V1_MEMORY, `lh-bench-ref-${process.pid}-${i}`);
    mkdirSync(group);
    try {
      const script = `echo $$ > ${group}/cgroup.procs && exec /usr/bin/time -v "$@"`;
      const result = await run(['/bin/sh', '-c', script, 'ref', ...argv], { cwd: scratch, capture: true });
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? NaN);
      timePeaks.push(kb * 1024);
      cgroupPeaks.push(Number(readFileSync(join(group, 'memory.max_usage_in_bytes'), 'utf8')));
    } finally {
      await removeGroup(group);
    }
  }
  return { cgroupBytes: median(cgroupPeaks), timeBytes: median(timePeaks) };
}

async function removeGroup(group) {
  for (let attempt = 0; attempt < 50 && existsSync(group); attempt += 1) {
    try {
      rmdirSync(group);
    } catch {
      await sleep(20); // the last process may still be exiting
    }
  }
}

export function v1MemoryAvailable() {
  return existsSync(join(V1_MEMORY, 'cgroup.procs'));
}
