// jest globalTeardown: every test removes what it created. Fails the run, naming them, when the
// suite left a directory in its TMPDIR (setup.mjs), a live process started under it, or a
// leakhunt cgroup whose leakhunt is gone. What it finds it then removes or kills, so one failed
// run does not leave the machine dirty for the next. (Caches under node_modules/.cache, e.g.
// test/helpers/corpus.ts, are deliberate and not in TMPDIR.)
import { readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const GRACE_MS = 5000; // the guardian and the sweeps kill within seconds: give them that

export default async function teardown() {
  const dir = process.env.LEAKHUNT_SUITE_TMPDIR;
  if (dir === undefined) return;
  const startedMs = Number(process.env.LEAKHUNT_SUITE_STARTED_MS ?? 0);
  const deadline = Date.now() + GRACE_MS;
  let left = findLeftovers(dir, startedMs);
  while (left.total > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = findLeftovers(dir, startedMs);
  }
  const lines = [
    ...left.dirs.map((name) => `  temp dir: ${name} (${describeDir(join(dir, name))})`),
    ...left.processes.map((p) => `  process: ${p.pid} ${p.command}`),
    ...left.cgroups.map((group) => `  cgroup: ${group}`),
  ];
  for (const pid of left.processes.map((p) => p.pid)) killQuietly(pid);
  for (const group of left.cgroups) removeCgroup(group);
  rmSync(dir, { recursive: true, force: true });
  if (left.total === 0) return;
  throw new Error(
    `the test suite left ${left.total} thing(s) behind (now removed):\n${lines.join('\n')}\nEvery test must remove what it created (test/helpers/temp-dir.ts).`,
  );
}

function findLeftovers(dir, startedMs) {
  const dirs = leftDirs(dir);
  const processes = processesUnder(dir);
  const cgroups = deadOwnerCgroups(startedMs);
  return { dirs, processes, cgroups, total: dirs.length + processes.length + cgroups.length };
}

/** jest's own transform cache lands in TMPDIR (jest_*): it is jest's, not a test's. */
function leftDirs(dir) {
  return safeList(dir).filter((name) => !/^jest_/.test(name));
}

/** What a left dir holds (a few names), so the failure points at the tool or test that made it. */
function describeDir(path) {
  const names = safeList(path);
  return names.length === 0 ? 'empty' : `holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Live processes whose environment holds this suite's TMPDIR, other than jest and its workers. */
function processesUnder(dir) {
  if (process.platform !== 'linux') return []; // environments of other processes: /proc only
  const entry = `TMPDIR=${dir}`;
  const found = [];
  for (const name of safeList('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || Number(fields[1]) === process.pid) continue; // zombies; jest's workers
      // A run's private temp dir (leakhunt-tmp-…) lies inside the suite's: match it too.
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.some((line) => line === entry || line.startsWith(`${entry}/`))) continue;
      found.push({ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 160) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** leakhunt's cgroups are named lh<pid>_<run>; one whose leakhunt is dead, made during this run, was left. */
function deadOwnerCgroups(startedMs) {
  if (process.platform !== 'linux') return [];
  const found = [];
  const walk = (path, depth) => {
    for (const name of safeList(path)) {
      const child = join(path, name);
      let info;
      try {
        info = statSync(child);
      } catch {
        continue;
      }
      if (!info.isDirectory()) continue;
      const owner = /^lh(\d+)_/.exec(name);
      if (owner !== null) {
        if (info.ctimeMs >= startedMs && !isAlive(Number(owner[1]))) found.push(child);
      } else if (depth < 4) walk(child, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function killQuietly(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function removeCgroup(path) {
  for (const name of safeList(path)) {
    const child = join(path, name);
    try {
      if (statSync(child).isDirectory()) removeCgroup(child);
    } catch {
      // gone
    }
  }
  try {
    rmdirSync(path);
  } catch {
    // busy or gone: the next leakhunt's sweep takes it
  }
}
