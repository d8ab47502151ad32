// One run's cgroups: a fresh memory group whose limit is the budget (v1 or v2), and a v2 group
// for cgroup.kill where that is all v2 offers. Fresh per run because charges outlive their
// processes (docs/platform.md §4: leftover page cache stays charged until the group goes). Reads are
// synchronous and tiny (one small file each) so the sampler can poll them every tick.
//
// Evidence rules from docs/platform.md §4: page cache counts and is reclaimed, so `max_usage == limit`
// or `failcnt > 0` prove nothing; only the oom_kill counter is evidence of an OOM kill.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.js';
import type { CgroupLayout } from './cgroup-detect.js';

export class RunCgroups {
  private maxCurrentBytes = 0;

  private constructor(
    private readonly memoryDir: string | undefined,
    private readonly version: 1 | 2 | undefined,
    private readonly killDir: string | undefined,
  ) {}

  /** Creates `<root>/<name>` groups and sets the memory limit; joined later by the wrapper. */
  static async create(layout: CgroupLayout, name: string, budgetBytes: number): Promise<RunCgroups> {
    const memoryDir = layout.memory === undefined ? undefined : await makeFreshDir(layout.memory.root, name);
    if (memoryDir !== undefined && layout.memory !== undefined) {
      setMemoryLimit(memoryDir, layout.memory.version, budgetBytes);
    }
    const sharesDir = layout.memory?.version === 2 && layout.killRoot === layout.memory.root;
    const killDir =
      layout.killRoot === undefined || sharesDir ? memoryDir : await makeFreshDir(layout.killRoot, name).catch(() => undefined); // killing still works without it
    return new RunCgroups(memoryDir, layout.memory?.version, killDir);
  }

  /** The cgroup.procs files the wrapper writes its pid into before exec. */
  get procsFiles(): string[] {
    return [...new Set([this.memoryDir, this.killDir])].filter((dir) => dir !== undefined).map((dir) => join(dir, 'cgroup.procs'));
  }

  get hasMemoryLimit(): boolean {
    return this.memoryDir !== undefined;
  }

  /** Call every sampler tick: v2 kernels before 5.19 have no memory.peak, so track memory.current. */
  observe(): void {
    if (this.version === 2 && this.memoryDir !== undefined && !existsSync(join(this.memoryDir, 'memory.peak'))) {
      this.maxCurrentBytes = Math.max(this.maxCurrentBytes, readNumber(join(this.memoryDir, 'memory.current')));
    }
  }

  /** Kernel's peak charge of the group (includes page cache: see the header). 0 without a memory group. */
  readPeakBytes(): number {
    if (this.memoryDir === undefined) return 0;
    if (this.version === 1) return readNumber(join(this.memoryDir, 'memory.max_usage_in_bytes'));
    const peakFile = join(this.memoryDir, 'memory.peak');
    return existsSync(peakFile) ? readNumber(peakFile) : this.maxCurrentBytes;
  }

  /** Processes the kernel OOM killer ended inside this group since it was created. */
  readOomKills(): number {
    if (this.memoryDir === undefined) return 0;
    const file = this.version === 1 ? 'memory.oom_control' : 'memory.events';
    const text = readText(join(this.memoryDir, file)) ?? '';
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  /** Every live member: a process cannot leave a cgroup by setsid, double fork or re-parenting. */
  listPids(): number[] {
    const pids = new Set<number>();
    for (const file of this.procsFiles) {
      for (const word of (readText(file) ?? '').split('\n')) if (word !== '') pids.add(Number(word));
    }
    return [...pids];
  }

  /** SIGKILL to every member: cgroup.kill on v2 (atomic, 6 ms for a 4-process tree), else a procs loop. */
  killAll(): void {
    if (this.killDir !== undefined && existsSync(join(this.killDir, 'cgroup.kill'))) {
      try {
        writeFileSync(join(this.killDir, 'cgroup.kill'), '1');
      } catch {
        // Fall through to the loop: a kill must never depend on one mechanism.
      }
    }
    // A member may fork between the read and the kill: repeat a few rounds.
    for (let round = 0; round < 5; round += 1) {
      const pids = this.listPids();
      if (pids.length === 0) return;
      for (const pid of pids) killQuietly(pid);
    }
  }

  /** Removes the groups; rmdir fails while a member lives, so retry briefly (members are being killed). */
  async remove(): Promise<void> {
    for (const dir of new Set([this.memoryDir, this.killDir])) {
      if (dir === undefined) continue;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const removed = await rmdir(dir).then(
          () => true,
          (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
        );
        if (removed) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** "lh4242_b001-p01": the owning leakhunt's pid comes first, so leftovers can be told from live groups (guardian/leftovers.ts). */
export function cgroupNameFor(runId: string): string {
  return `lh${process.pid}_${runId}`;
}

async function makeFreshDir(root: string, name: string): Promise<string> {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_');
  for (let suffix = 0; suffix < 100; suffix += 1) {
    const dir = join(root, suffix === 0 ? base : `${base}-${suffix}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new EnvironmentError(
          `cannot create cgroup ${dir}: ${(error as Error).message}`,
          'run as root or where a cgroup is delegated to you, or use --backend sampler',
        );
      }
    }
  }
  throw new EnvironmentError(`cannot create a fresh cgroup under ${root}: 100 names taken`, `remove stale groups with rmdir ${root}/*`);
}

function setMemoryLimit(dir: string, version: 1 | 2, budgetBytes: number): void {
  const limit = String(Math.floor(budgetBytes));
  if (version === 1) {
    writeFileSync(join(dir, 'memory.limit_in_bytes'), limit);
    // Where swap exists, memory+swap must be limited too or the tree swaps instead of dying.
    tryWrite(join(dir, 'memory.memsw.limit_in_bytes'), limit);
    return;
  }
  writeFileSync(join(dir, 'memory.max'), limit);
  tryWrite(join(dir, 'memory.swap.max'), '0');
  // The kernel kills one process on OOM (docs/platform.md §4); oom.group makes it kill the whole tree.
  tryWrite(join(dir, 'memory.oom.group'), '1');
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Optional knob (absent file, older kernel): the run is still measured and limited.
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readNumber(path: string): number {
  return Number((readText(path) ?? '0').trim()) || 0;
}
