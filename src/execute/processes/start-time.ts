// When a process started, on the wall clock (epoch ms), so a leftover can be matched with the
// probe's per-test time.time()/Date.now() windows (src/probe/orphan-windows.ts).
// /proc gives clock ticks since boot (stat field 22); the boot instant is taken as now minus
// /proc/uptime (10 ms steps) rather than /proc/stat's btime, which is whole seconds and would
// shift every start by up to a second. ps gives lstart, whole seconds.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ProcessTable } from './table.js';

export interface ProcessStart {
  /** Epoch ms. */
  readonly atMs: number;
  /** How far off atMs may be (clock ticks, uptime's steps, ps's whole seconds). */
  readonly resolutionMs: number;
}

const UPTIME_STEP_MS = 10;
let ticksPerSecond: number | undefined;

export function processStart(table: ProcessTable, pid: number): ProcessStart | undefined {
  const key = table.stat(pid)?.startKey;
  if (key === undefined || key === '') return undefined;
  if (table.source === 'ps') {
    const atMs = Date.parse(key);
    return Number.isNaN(atMs) ? undefined : { atMs, resolutionMs: 1000 };
  }
  const ticks = Number(key);
  const boot = bootEpochMs();
  if (!Number.isFinite(ticks) || boot === undefined) return undefined;
  const hz = clockTicksPerSecond();
  return { atMs: Math.round(boot + (ticks * 1000) / hz), resolutionMs: 1000 / hz + UPTIME_STEP_MS };
}

// Uptime and the wall clock are read one after the other: a process descheduled between the
// two (tens of ms on a loaded machine) would move the boot instant by that much. The clock is
// read on both sides, the middle taken, and the reading retried while the gap is wide.
const CLOCK_GAP_MS = 4;

function bootEpochMs(): number | undefined {
  try {
    let boot: number | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = Date.now();
      const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      const after = Date.now();
      if (!Number.isFinite(uptime)) return undefined;
      boot = (before + after) / 2 - uptime * 1000;
      if (after - before <= CLOCK_GAP_MS) break;
    }
    return boot;
  } catch {
    return undefined;
  }
}

// USER_HZ is 100 on every Linux we know of, but it is a build setting: ask once.
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim());
      ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}
