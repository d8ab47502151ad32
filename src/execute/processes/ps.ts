// Answers the process table's questions from `ps` listings, for systems without /proc
// (macOS) and for testing that path on Linux (LEAKHUNT_BACKEND=ps). One listing answers every
// question about every process, so a sample costs one ps run (a few ms) however big the tree.
// A listing is reused for SNAPSHOT_TTL_MS so the loops that poll "is it gone yet?" for many
// pids run ps once per poll, not once per pid; refresh() forces a new one (each sample does).
//
// Reads are synchronous (execFileSync), like the /proc reads they stand in for: the sampler
// and the killer ask from synchronous code, and one ps run is shorter than a sample interval.
import { execFile, execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import {
  dialectFor,
  environmentArgs,
  executableArgs,
  listingArgs,
  type PsDialect,
  type PsRow,
  parseListing,
  pidsWithWord,
  valueInListing,
  valuesInListing,
} from './ps-listing.js';
import { isGoneStat, type ProcessStat, type ProcessTable, type ResidentMemory } from './table.js';

const SNAPSHOT_TTL_MS = 15;
const PS_TIMEOUT_MS = 5000;
const PS_MAX_OUTPUT = 64 * 1024 * 1024;
// C locale: lstart's date words and number formats must not depend on the user's language.
const PS_OPTIONS = {
  encoding: 'utf8',
  env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  timeout: PS_TIMEOUT_MS,
  maxBuffer: PS_MAX_OUTPUT,
} as const;
const execFileAsync = promisify(execFile);

export class PsTable implements ProcessTable {
  readonly source = 'ps';
  private rows = new Map<number, PsRow>();
  private children = new Map<number, number[]>();
  private takenAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly dialect: PsDialect = dialectFor(process.platform)) {}

  refresh(): void {
    let text: string;
    try {
      text = execFileSync('ps', listingArgs(), PS_OPTIONS);
    } catch {
      return; // keep the last listing: a failed ps must not make every process look gone
    }
    this.rows = parseListing(text);
    this.children = new Map();
    for (const row of this.rows.values()) {
      const siblings = this.children.get(row.ppid) ?? [];
      siblings.push(row.pid);
      this.children.set(row.ppid, siblings);
    }
    this.takenAtMs = performance.now();
  }

  stat(pid: number): ProcessStat | undefined {
    const row = this.current().get(pid);
    return row === undefined ? undefined : { state: row.state, ppid: row.ppid, pgid: row.pgid, startKey: row.started };
  }

  isGone(pid: number): boolean {
    return isGoneStat(this.stat(pid));
  }

  childPids(pid: number): number[] {
    this.current();
    return [...(this.children.get(pid) ?? [])];
  }

  /** ps gives no split of shared pages: each process counts its whole RSS. */
  residentMemory(pid: number): ResidentMemory {
    return { residentBytes: this.current().get(pid)?.residentBytes ?? 0, sharedBytes: 0 };
  }

  command(pid: number): string {
    const command = this.current().get(pid)?.command ?? '';
    return command === '' ? '?' : command.slice(0, 200);
  }

  async executableName(pid: number): Promise<string> {
    return basename((await this.runPs(executableArgs(pid))).trim());
  }

  async environmentValue(pid: number, name: string): Promise<string | undefined> {
    return valueInListing(await this.runPs(environmentArgs(this.dialect, pid)), name);
  }

  async pidsWithEnvEntry(entry: string): Promise<number[]> {
    const pids = pidsWithWord(await this.runPs(environmentArgs(this.dialect)), entry);
    this.refresh();
    return pids.filter((pid) => pid !== process.pid && !this.isGone(pid));
  }

  async pidsInGroup(pgid: number): Promise<number[]> {
    this.refresh();
    return [...this.rows.values()]
      .filter((row) => row.pgid === pgid && row.pid !== process.pid && !isGoneStat(this.stat(row.pid)))
      .map((row) => row.pid);
  }

  async envValues(name: string): Promise<Map<number, string>> {
    const values = valuesInListing(await this.runPs(environmentArgs(this.dialect)), name);
    this.refresh();
    for (const pid of values.keys()) if (pid === process.pid || this.isGone(pid)) values.delete(pid);
    return values;
  }

  private current(): Map<number, PsRow> {
    if (performance.now() - this.takenAtMs > SNAPSHOT_TTL_MS) this.refresh();
    return this.rows;
  }

  /** ps exits 1 when a -p pid is gone: that is an empty answer, not an error. */
  private async runPs(args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('ps', args, PS_OPTIONS);
      return stdout;
    } catch (error) {
      return (error as { stdout?: string }).stdout ?? '';
    }
  }
}
