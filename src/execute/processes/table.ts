// What the executor needs to know about processes, whatever the operating system tells it
// through. Linux answers from /proc (procfs.ts: per-process reads, ~1 ms for a 50-process
// tree); macOS and the BSDs have no /proc, so ps.ts reads one `ps` listing per sample and
// answers every question from it. The sampler and the killer are written against this
// interface only; which table a run uses is chosen with its memory backend (backend.ts).

export interface ProcessStat {
  /** One letter: R, S, D, Z (zombie), X (dead), T… */
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  /**
   * When the process started, as an opaque key: with the pid it names a process uniquely
   * (pids are reused). Clock ticks since boot from /proc, the start date from ps.
   */
  readonly startKey: string;
}

export interface ResidentMemory {
  /** All resident pages (VmRSS). */
  readonly residentBytes: number;
  /** The resident pages backed by files or shared memory, when the source can tell them apart (else 0). */
  readonly sharedBytes: number;
}

export interface ProcessTable {
  /** Where the answers come from, for the report's backend reason. */
  readonly source: 'procfs' | 'ps';
  /** Makes the next reads current. ps: a new listing; /proc is always current. */
  refresh(): void;
  stat(pid: number): ProcessStat | undefined;
  /** Exited, or a zombie: holds no memory, only its parent's wait() removes it. */
  isGone(pid: number): boolean;
  childPids(pid: number): number[];
  residentMemory(pid: number): ResidentMemory;
  /** The command line as ps shows it, cut to 200 characters. */
  command(pid: number): string;
  /** The executable's file name ("node", "python3.11"), '' when unknown. */
  executableName(pid: number): Promise<string>;
  /** The value of one environment variable of a live process, when the OS lets us read it. */
  environmentValue(pid: number, name: string): Promise<string | undefined>;
  /** Live processes whose environment holds exactly `entry` ("KEY=value"): finds setsid escapees. */
  pidsWithEnvEntry(entry: string): Promise<number[]>;
  /** Live processes of one process group. */
  pidsInGroup(pgid: number): Promise<number[]>;
  /** Every live process's value of one environment variable (values without spaces): finds any leakhunt's runs. */
  envValues(name: string): Promise<Map<number, string>>;
}

export function isGoneStat(stat: ProcessStat | undefined): boolean {
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}
