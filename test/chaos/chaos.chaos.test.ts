// `npm run chaos`: faults injected into real hunts, and what leakhunt promises under each
// (docs/reliability.md): kill -9 at five points, SIGTERM/SIGINT/SIGHUP, a double Ctrl-C,
// two hunts into one --out, daemons that try to escape on every backend, a full disk.
// Prints a table: fault, injected, survived, runs lost, orphans.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DAEMON_KINDS,
  DEFAULT_TESTS,
  daemonSurvivors,
  executions,
  findingsOf,
  type Hunt,
  journalRuns,
  killSuiteProcesses,
  makeSuite,
  mountTmpfs,
  orphansAfter,
  readReport,
  runsRepeated,
  type Suite,
  startHunt,
  waitUntil,
} from './support.js';

interface Row {
  fault: string;
  injected: number;
  survived: boolean;
  runsLost: number | string;
  orphans: number | string;
  note: string;
}
const rows: Row[] = [];
const suites: Suite[] = [];
let referenceFindings: string[] = [];
let referenceRuns = 0;

function suite(tests?: Record<string, object>, out?: string): Suite {
  const made = makeSuite(tests, out);
  suites.push(made);
  return made;
}

beforeAll(async () => {
  const reference = suite();
  const hunt = await startHunt(reference);
  expect(hunt.exitCode).toBe(1);
  referenceFindings = findingsOf(readReport(reference.out));
  referenceRuns = journalRuns(reference.out).length;
  expect(referenceFindings).toEqual(['hog: hog.json (batch 1)']);
}, 60_000);

afterAll(() => {
  for (const made of suites) {
    killSuiteProcesses(made);
    made.remove();
  }
  printTable();
});

/** Waits for `moment`, then kill -9s the hunt; returns the journal's finished runs at the kill and whether the kill landed mid-hunt. */
interface Killed {
  finished: string[];
  started: number;
  landed: boolean;
}

async function killAt(hunt: Hunt, made: Suite, moment: () => boolean): Promise<Killed> {
  const reached = await waitUntil(moment, 60_000, 10);
  const finished = journalRuns(made.out);
  hunt.kill('SIGKILL');
  const ended = await hunt;
  if (!reached) throw new Error('the moment to kill never came');
  return { finished, started: executions(made).length, landed: ended.signal === 'SIGKILL' };
}

/** After a kill -9: nothing left within 5 s, then --resume reaches the reference findings repeating no finished run. */
async function checkKillAndResume(
  fault: string,
  made: Suite,
  pid: number,
  kills: readonly Killed[],
  extra: readonly string[] = [],
): Promise<void> {
  const finished = kills[kills.length - 1]?.finished ?? [];
  const landed = kills.every((kill) => kill.landed);
  const orphans = await orphansAfter(made, pid, 5000);
  const resuming = startHunt(made, ['--resume', ...extra]);
  const resumed = await resuming;
  const report = readReport(made.out);
  const lost = kills.reduce((sum, kill) => sum + runsRepeated(made, kill.finished, kill.started), 0);
  const survived =
    orphans.count === 0 &&
    resumed.exitCode === 1 &&
    report?.status === 'complete' &&
    lost === 0 &&
    JSON.stringify(findingsOf(report)) === JSON.stringify(referenceFindings);
  rows.push({
    fault,
    injected: landed ? 1 : 0,
    survived,
    runsLost: lost,
    orphans: orphans.count,
    note: `${finished.length} finished run(s) at the kill${orphans.what.length > 0 ? `; left: ${orphans.what.join(', ')}` : ''}`,
  });
  expect(landed).toBe(true);
  expect(orphans.what).toEqual([]);
  expect(resumed.exitCode).toBe(1);
  expect(report?.status).toBe('complete');
  expect(findingsOf(report)).toEqual(referenceFindings);
  expect(lost).toBe(0);
  expect((await orphansAfter(made, resuming.pid!, 5000)).what).toEqual([]);
}

describe('kill -9 of leakhunt', () => {
  it('during a batch', async () => {
    const made = suite();
    const hunt = startHunt(made);
    const killed = await killAt(hunt, made, () => journalRuns(made.out).includes('b001') && executions(made).includes('b002'));
    await checkKillAndResume('kill -9 during a batch', made, hunt.pid!, [killed]);
  }, 90_000);

  it('during a bisection trial', async () => {
    const made = suite();
    const hunt = startHunt(made);
    const killed = await killAt(hunt, made, () => journalRuns(made.out).includes('b001-p01') && executions(made).includes('b001-p02'));
    await checkKillAndResume('kill -9 during a bisection trial', made, hunt.pid!, [killed]);
  }, 90_000);

  it('while writing the report', async () => {
    const made = suite();
    const hunt = startHunt(made);
    // The last run is journaled: the hunt is building and writing its reports now.
    const killed = await killAt(hunt, made, () => journalRuns(made.out).length >= referenceRuns);
    const report = readReport(made.out);
    // Whatever the moment, the JSON on disk is whole (or not written yet): never half a file.
    expect(report === undefined || typeof report.status === 'string').toBe(true);
    await checkKillAndResume('kill -9 while writing the report', made, hunt.pid!, [killed]);
  }, 90_000);

  it('during a resume', async () => {
    const made = suite();
    const first = startHunt(made);
    const killed = await killAt(first, made, () => journalRuns(made.out).includes('b001') && executions(made).includes('b002'));
    const resume = startHunt(made, ['--resume']);
    const killedAgain = await killAt(resume, made, () => executions(made).length >= killed.started + 2);
    const firstOrphans = await orphansAfter(made, first.pid!, 5000);
    expect(firstOrphans.what).toEqual([]);
    await checkKillAndResume('kill -9 during a resume', made, resume.pid!, [killed, killedAgain]);
  }, 120_000);

  it('during a parallel batch (--jobs 2)', async () => {
    const made = suite();
    const jobs = ['--jobs', '2', '--total-memory', '400MB'];
    const hunt = startHunt(made, jobs);
    // Both batches started and neither finished: two trees alive at once.
    const killed = await killAt(
      hunt,
      made,
      () => executions(made).includes('b001') && executions(made).includes('b002') && journalRuns(made.out).length === 0,
    );
    await checkKillAndResume('kill -9 during a parallel batch (--jobs 2)', made, hunt.pid!, [killed], jobs);
  }, 90_000);
});

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s: exit 130, a partial report, nothing left',
    async (signal) => {
      const made = suite();
      const hunt = startHunt(made);
      await waitUntil(() => executions(made).includes('b001'), 30_000, 10);
      hunt.kill(signal);
      const ended = await hunt;
      const orphans = await orphansAfter(made, hunt.pid!, 5000);
      const report = readReport(made.out);
      rows.push({
        fault: signal,
        injected: 1,
        survived: ended.exitCode === 130 && report?.status === 'interrupted' && orphans.count === 0,
        runsLost: 0,
        orphans: orphans.count,
        note: `exit ${ended.exitCode}, report ${report?.status ?? 'missing'}`,
      });
      expect(ended.exitCode).toBe(130);
      expect(report?.status).toBe('interrupted');
      expect(orphans.what).toEqual([]);
    },
    60_000,
  );

  it('a second Ctrl-C exits at once and still puts every finished run into the JSON', async () => {
    const made = suite();
    const hunt = startHunt(made);
    await waitUntil(() => journalRuns(made.out).includes('b001') && executions(made).includes('b002'), 30_000, 10);
    hunt.kill('SIGINT');
    hunt.kill('SIGINT');
    const ended = await hunt;
    const orphans = await orphansAfter(made, hunt.pid!, 5000);
    const journaled = journalRuns(made.out);
    const reported = (readReport(made.out)?.runs ?? []).map((run) => run.runId);
    const missing = journaled.filter((runId) => !reported.includes(runId));
    rows.push({
      fault: 'double SIGINT',
      injected: 1,
      survived: ended.exitCode === 130 && missing.length === 0 && orphans.count === 0,
      runsLost: missing.length,
      orphans: orphans.count,
      note: `${journaled.length} journaled, ${reported.length} in the JSON`,
    });
    expect(ended.exitCode).toBe(130);
    expect(missing).toEqual([]);
    expect(orphans.what).toEqual([]);
  }, 60_000);
});

it('two hunts into one --out: the second exits 2 at once, the first is not disturbed', async () => {
  const made = suite();
  const first = startHunt(made);
  await waitUntil(() => executions(made).includes('b001'), 30_000, 10);
  const second = await startHunt(made);
  const ended = await first;
  const report = readReport(made.out);
  const ok =
    second.exitCode === 2 &&
    /in use by another leakhunt hunt \(pid \d+/.test(String(second.stderr)) &&
    ended.exitCode === 1 &&
    JSON.stringify(findingsOf(report)) === JSON.stringify(referenceFindings);
  rows.push({
    fault: 'two hunts into one --out',
    injected: 1,
    survived: ok,
    runsLost: 0,
    orphans: 0,
    note: `second exit ${second.exitCode}; first exit ${ended.exitCode}`,
  });
  expect(second.exitCode).toBe(2);
  expect(String(second.stderr)).toContain(`(pid ${first.pid}`);
  expect(findingsOf(report)).toEqual(referenceFindings);
}, 60_000);

describe('daemons that try to escape', () => {
  const backends: Array<[string, Record<string, string>]> = [
    ['cgroup', {}],
    ['sampler', { LEAKHUNT_BACKEND: 'sampler' }],
    ['ps', { LEAKHUNT_BACKEND: 'ps' }],
  ];
  // Stated limitation (docs/executor.md): without a cgroup, a process that leaves the group and
  // clears its environment before the sampler sees it is found by nothing.
  const allowed = (backend: string, kind: string): boolean => backend !== 'cgroup' && kind === 'env-i-setsid';

  it.each(backends)(
    '%s backend: after the hunt ends and after a kill -9, 0 daemons survive but the stated limitation',
    async (backend, env) => {
      for (const how of ['hunt ends', 'kill -9'] as const) {
        const made = suite({ 'daemons.json': { daemons: [...DAEMON_KINDS], sleepMs: how === 'kill -9' ? 20_000 : 300 } });
        const hunt = startHunt(made, [], env);
        if (how === 'kill -9') {
          await waitUntil(() => Object.values(daemonSurvivors(made)).reduce((a, b) => a + b, 0) >= 3, 30_000, 20);
          hunt.kill('SIGKILL');
        }
        await hunt;
        // Everything that can be caught is caught within 5 s; then count by kind.
        await waitUntil(() => Object.entries(daemonSurvivors(made)).every(([kind, n]) => n === 0 || allowed(backend, kind)), 5000, 100);
        const survivors = daemonSurvivors(made);
        const escaped = Object.entries(survivors)
          .filter(([, n]) => n > 0)
          .map(([kind]) => kind);
        const unexpected = escaped.filter((kind) => !allowed(backend, kind));
        rows.push({
          fault: `daemons, ${backend} backend, ${how}`,
          injected: DAEMON_KINDS.length,
          survived: unexpected.length === 0,
          runsLost: 0,
          orphans: escaped.length,
          note:
            escaped.length === 0
              ? 'none escaped'
              : `escaped: ${escaped.join(', ')}${unexpected.length === 0 ? ' (stated limitation)' : ''}`,
        });
        killSuiteProcesses(made);
        expect(unexpected).toEqual([]);
      }
    },
    90_000,
  );
});

it('disk full while writing: a clear error, the journal intact, and --resume finishes the hunt', async () => {
  const disk = mountTmpfs('1m');
  if (typeof disk === 'string') {
    rows.push({ fault: 'disk full', injected: 0, survived: false, runsLost: '-', orphans: '-', note: `skipped: ${disk}` });
    console.warn(`skipped disk full: ${disk}`);
    return;
  }
  try {
    // Batch 2 prints 3 MB into its log: the 1 MB disk fills in the middle of the hunt.
    const tests = { ...DEFAULT_TESTS, 'e.json': { sleepMs: 200, printMB: 3 } };
    const made = suite(tests, join(disk.dir, 'out'));
    const full = await startHunt(made);
    const finished = journalRuns(made.out);
    const started = executions(made).length;
    const journalLines = readFileSync(join(made.out, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
    const torn = journalLines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    }).length;
    const clear = full.exitCode === 3 && /^leakhunt: no space left/m.test(String(full.stderr));
    disk.grow('64m');
    writeFileSync(join(made.dir, 'e.json'), JSON.stringify({ sleepMs: 200 })); // the same test, now quiet
    const resuming = startHunt(made, ['--resume']);
    const resumed = await resuming;
    const report = readReport(made.out);
    const lost = runsRepeated(made, finished, started);
    const orphans = await orphansAfter(made, resuming.pid!, 5000);
    rows.push({
      fault: 'disk full while writing',
      injected: 1,
      survived: clear && torn <= 1 && resumed.exitCode === 1 && lost === 0 && orphans.count === 0,
      runsLost: lost,
      orphans: orphans.count,
      note: `exit ${full.exitCode}: ${
        String(full.stderr)
          .split('\n')
          .find((line) => line.startsWith('leakhunt:')) ?? '(no error line)'
      }; ${finished.length} run(s) kept`,
    });
    expect(full.exitCode).toBe(3);
    expect(String(full.stderr)).toMatch(/^leakhunt: no space left/m);
    expect(torn).toBeLessThanOrEqual(1);
    expect(resumed.exitCode).toBe(1);
    expect(findingsOf(report)).toEqual(referenceFindings);
    expect(lost).toBe(0);
  } finally {
    disk.unmount();
  }
}, 90_000);

function printTable(): void {
  const header = ['fault', 'injected', 'survived', 'runs lost', 'orphans', 'note'];
  const lines = rows.map((row) => [
    row.fault,
    String(row.injected),
    row.survived ? 'yes' : 'NO',
    String(row.runsLost),
    String(row.orphans),
    row.note,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const format = (cells: string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  const total = { injected: rows.reduce((sum, row) => sum + row.injected, 0), survived: rows.filter((row) => row.survived).length };
  process.stdout.write(
    `\n${format(header)}\n${lines.map(format).join('\n')}\n\n${total.injected} faults injected in ${rows.length} scenarios, ${total.survived} survived\n`,
  );
}
