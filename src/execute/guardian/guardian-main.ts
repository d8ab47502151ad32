// The guardian process: one per leakhunt process, started detached (its own session, so a
// kill of leakhunt's group or terminal does not reach it). It learns the roots of the cgroups
// and the process groups of the runs through its stdin; when that pipe closes (the kernel
// closes it whenever leakhunt dies, even by SIGKILL or an OOM kill) or its parent changes, it
// SIGKILLs everything leakhunt left and removes its cgroups, then exits.
//
// argv: <owner pid> <procfs|ps>. stdin lines: "root <dir>", "+ <pgid>" (a run started),
// "m <pgid> <pid> <startKey>" (a member of it the sampler saw), "- <pgid>" (the run ended).
import { createInterface } from 'node:readline';
import { procfsTable } from '../processes/procfs.js';
import { PsTable } from '../processes/ps.js';
import { sweepOwner } from './leftovers.js';

const PARENT_CHECK_MS = 500;

const owner = Number(process.argv[2]);
const table = process.argv[3] === 'ps' ? new PsTable() : procfsTable;
const roots = new Set<string>();
/** Per run (its process group): members with their start keys. */
const runs = new Map<number, Map<number, string>>();
// Its own session already keeps terminal signals away; a stray SIGHUP/SIGINT must not stop it either.
for (const name of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(name, () => undefined);

let sweeping = false;
async function ownerGone(): Promise<void> {
  if (sweeping) return;
  sweeping = true;
  // Members first, while their start keys still name them; then the sweep by cgroup, group and key.
  for (const members of runs.values()) {
    for (const [pid, startKey] of members) {
      if (table.stat(pid)?.startKey === startKey) killQuietly(pid);
    }
  }
  await sweepOwner(owner, [...roots], table, [...runs.keys()]).catch(() => undefined);
  process.exit(0);
}

function killQuietly(pid: number): void {
  if (pid <= 1 || pid === process.pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

if (!(owner > 1) || process.ppid !== owner) {
  // Started by someone else, or the owner died before we ran: sweep at once.
  void ownerGone();
} else {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [verb, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (verb === 'root' && value !== '') roots.add(value);
    else if (verb === '+') runs.set(Number(rest[0]), new Map());
    else if (verb === 'm') runs.get(Number(rest[0]))?.set(Number(rest[1]), rest.slice(2).join(' '));
    else if (verb === '-') runs.delete(Number(rest[0]));
  });
  lines.on('close', () => void ownerGone());
  process.stdin.on('error', () => void ownerGone());
  // Belt and braces: if the pipe were somehow held open, re-parenting still tells us.
  setInterval(() => {
    if (process.ppid !== owner) void ownerGone();
  }, PARENT_CHECK_MS);
}
