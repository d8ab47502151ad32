// Kill latency: from the moment a tree crosses its budget to the moment no process of it is
// left. The fixture (alloc.py --budget-bytes) writes the crossing itself: the epoch ms right
// before it allocates the chunk (10 MB, ~5 ms) that takes the tree's RSS to the budget, and
// the tree's pids (root + 3 idle children). "Gone" comes from this process polling
// /proc/<pid>/stat every 2 ms until every pid is absent or a zombie. Also reported: when
// executor.run() resolved (sweeps and cgroup removal included) and how far the peak overshot.
// Backends: cgroup (kernel limit; leakhunt then kills the rest of the tree), the sampler at
// 20 ms (its default when alone), 50 ms and 100 ms.
// Two crossings: the fixture's RSS sum (the first definition, kept for comparison: it counts
// the idle children's copy-on-write pages once each, so it reaches the budget tens of MiB
// before leakhunt's measures do), and the crossing of the measure the backend enforces (the
// cgroup's charge; the sampler's private-plus-largest-shared sum), which is what the target
// "budget crossed → no process left" means: medianMs is from that one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, MiB, median, removeDir, round, scratchDir } from './lib.mjs';

const ALLOC = join(FIXTURES, 'alloc.py');
const BUDGET_BYTES = 300 * MiB;
const POLL_MS = 2;

export async function benchKill({ quick, reps, executorApi }) {
  const rounds = reps ?? (quick ? 2 : 5);
  const variants = [
    ['cgroup', { backend: 'auto' }],
    ['sampler', { backend: 'sampler', sampleIntervalMs: 20 }],
    ['sampler', { backend: 'sampler', sampleIntervalMs: 50 }],
    ['sampler', { backend: 'sampler', sampleIntervalMs: 100 }],
  ];
  const scratch = scratchDir('kill');
  const rows = [];
  try {
    for (const [backend, options] of variants) {
      const executor = await executorApi.createProcessExecutor(options);
      const samples = [];
      const enforced = backend === 'cgroup' ? 'cgroup' : 'tree';
      for (let i = 0; i < rounds; i += 1) samples.push(await killOnce(executor, scratch, i, enforced));
      await executor.close();
      rows.push(killRow(backend, options.sampleIntervalMs ?? 50, samples));
      process.stderr.write(`  kill: ${backend} ${options.sampleIntervalMs ?? 50} ms: median ${rows.at(-1).medianMs} ms\n`);
    }
  } finally {
    removeDir(scratch);
  }
  return rows;
}

function killRow(backend, intervalMs, samples) {
  const gone = samples.map((s) => s.enforcedGoneMs).filter((ms) => ms !== undefined);
  const goneFromRss = samples.map((s) => s.goneMs).filter((ms) => ms !== undefined);
  const killedBy = [...new Set(samples.map((s) => s.killedBy))].join(', ');
  return {
    backend,
    intervalMs,
    medianMs: gone.length > 0 ? round(median(gone)) : undefined,
    p90Ms: gone.length > 0 ? round(Math.max(...gone)) : undefined,
    medianFromRssSumMs: goneFromRss.length > 0 ? round(median(goneFromRss)) : undefined,
    medianExitMs: round(median(samples.map((s) => s.resolvedMs))),
    overshootMiB: round(median(samples.map((s) => (s.peakBytes - BUDGET_BYTES) / MiB)), 1),
    outcomes: killedBy,
    reps: samples.length,
    goneMs: gone.map((ms) => round(ms, 1)),
  };
}

async function killOnce(executor, scratch, i, enforced) {
  const stamp = join(scratch, `stamp-${i}-${Date.now()}`);
  const argv = ['python3', ALLOC, '1500', '4', '--budget-bytes', String(BUDGET_BYTES), '--stamp', stamp, '--hold-ms', '30000'];
  const watcher = watchForGone(stamp);
  const outcome = await executor.run({
    runId: `kill-${i}`,
    argv,
    cwd: scratch,
    env: {},
    budget: { memoryBytes: BUDGET_BYTES, timeoutMs: 60_000, graceMs: 5000 },
    logPath: join(scratch, 'kill.log'),
  });
  const resolvedAt = Date.now();
  const { crossedAt, goneAt } = await watcher.stop();
  const enforcedAt = Number(readText(`${stamp}.${enforced}`)?.trim() ?? NaN);
  return {
    goneMs: crossedAt !== undefined && goneAt !== undefined ? goneAt - crossedAt : undefined,
    enforcedGoneMs: Number.isFinite(enforcedAt) && goneAt !== undefined ? goneAt - enforcedAt : undefined,
    resolvedMs: crossedAt === undefined ? NaN : resolvedAt - crossedAt,
    peakBytes: outcome.peakBytes,
    killedBy: outcome.killedBy ?? (outcome.kernelOomKills > 0 ? 'kernel' : `exit ${outcome.exitCode}`),
  };
}

/** Polls for the stamp file, then for every pid it names to be gone (absent or zombie). */
function watchForGone(stampFile) {
  let crossedAt;
  let pids;
  let goneAt;
  const timer = setInterval(() => {
    if (pids === undefined) {
      const text = readText(stampFile);
      if (text === undefined || !text.endsWith('\n')) return;
      const [ms, ...rest] = text.trim().split(' ');
      crossedAt = Number(ms);
      pids = rest.map(Number);
    }
    if (goneAt === undefined && pids.every(isGone)) goneAt = Date.now();
  }, POLL_MS);
  return {
    async stop() {
      for (let waited = 0; goneAt === undefined && pids !== undefined && waited < 3000; waited += POLL_MS) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      clearInterval(timer);
      return { crossedAt, goneAt };
    },
  };
}

function isGone(pid) {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return true;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
