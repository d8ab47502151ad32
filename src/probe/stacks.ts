// Asks a hung test process for its stacks just before the executor kills it on timeout
// (ProcessSpec.beforeTimeoutKill). It decides which processes may be signalled safely and
// waits briefly for what they write; it kills nothing and judges nothing.
//   pytest: SIGUSR1 → the probe's faulthandler writes every thread's Python stack to the
//           stacks file (works even during import: the handler is registered at plugin load).
//   jest:   SIGUSR2 → Node's diagnostic report (--report-on-signal, set by attach.ts) into
//           `<stacksFile>.reports/`. Shows the JS stack when one is running and the libuv
//           handles an idle loop waits on; a busy synchronous loop writes nothing (the report
//           is produced on the JS thread): then SIGUSR1 starts the inspector (--inspect-port=0,
//           set by attach.ts) and its Debugger.pause shows the stack (inspector-stack.ts).
// SIGUSR1/SIGUSR2 kill a process with no handler, so only processes that carry
// LEAKHUNT_STACKS_FILE in their environment AND are known to have the handler are signalled.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessTable } from '../execute/processes/table.js';

export type ProbeRunner = 'pytest' | 'jest' | 'vitest' | 'node-test';

export interface CollectOptions {
  /** Longest wait for the dumps, ms. Default 1500 (the executor allows ~2 s). */
  readonly waitMs?: number;
  /** The run's log (stdout+stderr): where a Node inspector started by SIGUSR1 announces its port. */
  readonly logPath?: string;
}

const POLL_MS = 50;
const QUIET_MS = 150; // a dump is complete when the file stopped growing for this long
const ARMED = /^leakhunt-probe armed pid=(\d+)$/gm;

/** The dumps of the hung processes among `pids`, or undefined when none could be had. */
export async function collectStacks(
  runner: ProbeRunner,
  pids: readonly number[],
  stacksFile: string,
  table: ProcessTable,
  options: CollectOptions = {},
): Promise<string | undefined> {
  const waitMs = options.waitMs ?? 1500;
  return runner === 'pytest'
    ? pythonStacks(pids, stacksFile, table, waitMs)
    : nodeReports(pids, stacksFile, table, waitMs, options.logPath);
}

async function pythonStacks(pids: readonly number[], stacksFile: string, table: ProcessTable, waitMs: number): Promise<string | undefined> {
  const before = await readText(stacksFile);
  const armed = new Set([...before.matchAll(ARMED)].map((m) => Number(m[1])));
  const targets = [];
  for (const pid of pids) {
    if (armed.has(pid) && (await table.environmentValue(pid, 'LEAKHUNT_STACKS_FILE')) !== undefined) targets.push(pid);
  }
  // One at a time: faulthandler writes a dump in many small writes, and several xdist
  // processes dumping into the one file at once interleave them mid-line (seen with -n 2).
  // Newest process first (the highest pid, barring pid wrap-around): under xdist the workers
  // run the tests while the controller only waits on them, and the first dump is summarised.
  let sent = false;
  for (const pid of [...targets].sort((a, b) => b - a)) {
    if (!signalAll([pid], 'SIGUSR1')) continue;
    sent = true;
    await waitUntilQuiet(stacksFile, (await readText(stacksFile)).length, waitMs / targets.length);
  }
  if (!sent) return undefined;
  const dump = (await readText(stacksFile)).slice(before.length).replace(ARMED, '').trim();
  return dump === '' ? undefined : dump;
}

async function nodeReports(
  pids: readonly number[],
  stacksFile: string,
  table: ProcessTable,
  waitMs: number,
  logPath?: string,
): Promise<string | undefined> {
  const targets = [];
  const inspectable = new Set<number>();
  for (const pid of pids) {
    const options = await table.environmentValue(pid, 'NODE_OPTIONS');
    const isNode = /^node/.test(await table.executableName(pid));
    const hasStacksFile = (await table.environmentValue(pid, 'LEAKHUNT_STACKS_FILE')) !== undefined;
    if (isNode && options?.includes('--report-on-signal') === true && hasStacksFile) targets.push(pid);
    if (isNode && options?.includes('--inspect-port=0') === true && hasStacksFile) inspectable.add(pid);
  }
  if (!signalAll(targets, 'SIGUSR2')) return undefined;
  const dir = reportDirectory(stacksFile);
  const deadline = Date.now() + waitMs;
  let reports = await reportsOf(dir, targets);
  const busySince = Date.now() + REPORT_GRACE_MS;
  while (reports.size < targets.length && Date.now() < Math.min(deadline, busySince)) {
    await sleep(POLL_MS);
    reports = await reportsOf(dir, targets);
  }
  // No report yet: the JavaScript thread is busy. Its inspector can still interrupt it.
  const busy = targets.filter((pid) => !reports.has(pid));
  const paused = new Map<number, string>();
  await Promise.all(
    busy.map(async (pid) => {
      if (logPath === undefined || !inspectable.has(pid)) return;
      // Loaded only when a hang needs it: the inspector client pulls in ws (~125 KB) at every hunt's start otherwise.
      const { inspectorStack } = await import('./inspector-stack.js');
      const stack = await inspectorStack(pid, logPath, deadline);
      if (stack !== undefined) paused.set(pid, stack);
    }),
  );
  reports = await reportsOf(dir, targets);
  return targets.map((pid) => paused.get(pid) ?? describeReport(pid, reports.get(pid))).join('\n\n');
}

/** How long an idle process gets to write its report before it is taken for busy. */
const REPORT_GRACE_MS = 300;

/** Where attach.ts tells Node to write diagnostic reports for this stacks file. */
export function reportDirectory(stacksFile: string): string {
  return `${stacksFile}.reports`;
}

interface NodeReport {
  readonly javascriptStack?: { readonly message?: string; readonly stack?: readonly string[] };
  readonly libuv?: readonly { readonly type?: string; readonly is_active?: boolean; readonly details?: string }[];
}

async function reportsOf(dir: string, pids: readonly number[]): Promise<Map<number, NodeReport>> {
  const found = new Map<number, NodeReport>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^report\.\d+\.\d+\.(\d+)\./.exec(name)?.[1]);
    if (!pids.includes(pid)) continue;
    try {
      found.set(pid, JSON.parse(await readFile(path.join(dir, name), 'utf8')) as NodeReport);
    } catch {
      // still being written: the next poll reads it whole
    }
  }
  return found;
}

function describeReport(pid: number, report: NodeReport | undefined): string {
  if (report === undefined) {
    return (
      `node pid ${pid}: no report — its JavaScript thread is busy (a synchronous loop?); ` +
      `only an inspector can show that stack: kill -USR1 ${pid}; node inspect -p ${pid}, then "pause" and "bt"`
    );
  }
  const stack = (report.javascriptStack?.stack ?? []).filter((line) => line.trim() !== '');
  const handles = (report.libuv ?? []).filter((h) => h.is_active).map((h) => `  ${h.type ?? '?'} ${h.details ?? ''}`.trimEnd());
  const head =
    stack.length > 0
      ? [`node pid ${pid}: ${report.javascriptStack?.message ?? 'JavaScript stack'}`, ...stack.map((l) => `  ${l.trim()}`)]
      : [`node pid ${pid}: no JavaScript running — the event loop is idle, waiting on:`];
  return [...head, ...handles].join('\n');
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): boolean {
  let sent = false;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent = true;
    } catch {
      // exited meanwhile
    }
  }
  return sent;
}

async function waitUntilQuiet(file: string, sizeBefore: number, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let size = sizeBefore;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    const now = await stat(file).then(
      (s) => s.size,
      () => size,
    );
    if (now !== size) {
      size = now;
      quietSince = Date.now();
    } else if (size > sizeBefore && Date.now() - quietSince >= QUIET_MS) {
      return;
    }
  }
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
