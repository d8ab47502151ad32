// Finds which cgroups this machine lets leakhunt create, best first (docs/platform.md §4):
//   1. cgroup v2 with the memory controller: memory.max, memory.peak, memory.events, cgroup.kill;
//   2. cgroup v1 memory where writable (this machine, as root): limit_in_bytes, max_usage, oom_control;
//   3. neither: the /proc sampler alone enforces the budget.
// Independently, a v2 hierarchy without memory (hybrid mode here) still gives cgroup.kill and
// complete membership, so it is used for killing beside v1 or the sampler.
// Each answer comes from a real probe (mkdir + the files we need), never from a version guess.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a run's cgroups are created: `<root>/<runId>-<pid>`. */
export interface CgroupLayout {
  /** Memory-limiting parent directory and its cgroup version, if any is usable. */
  readonly memory: { readonly version: 1 | 2; readonly root: string } | undefined;
  /** A v2 parent used only to track and kill (cgroup.kill); equal to memory.root on v2. */
  readonly killRoot: string | undefined;
}

export interface CgroupProbe {
  readonly layout: CgroupLayout;
  /** Why the best option was not available, for --help, doctor and the report. */
  readonly notes: readonly string[];
}

const PARENT_NAME = 'leakhunt';

export async function probeCgroups(): Promise<CgroupProbe> {
  const mounts = await readMounts();
  const notes: string[] = [];
  const v2Mount = mounts.find((mount) => mount.type === 'cgroup2')?.path;
  const v1Mount = mounts.find((mount) => mount.type === 'cgroup' && mount.options.includes('memory'))?.path;

  const v2Memory = v2Mount === undefined ? 'no cgroup v2 hierarchy mounted' : await probeV2Memory(v2Mount);
  if (v2Memory === true && v2Mount !== undefined) {
    const root = join(v2Mount, PARENT_NAME);
    return { layout: { memory: { version: 2, root }, killRoot: root }, notes };
  }
  notes.push(`cgroup v2: ${v2Memory}`);
  const killRoot = v2Mount === undefined ? undefined : await probeV2Kill(v2Mount, notes);
  const v1Memory = v1Mount === undefined ? 'no cgroup v1 memory hierarchy mounted' : await probeV1Memory(v1Mount);
  if (v1Memory === true && v1Mount !== undefined) {
    return { layout: { memory: { version: 1, root: join(v1Mount, PARENT_NAME) }, killRoot }, notes };
  }
  notes.push(`cgroup v1: ${v1Memory}`);
  return { layout: { memory: undefined, killRoot }, notes };
}

async function probeV2Memory(mount: string): Promise<true | string> {
  const controllers = (await readText(join(mount, 'cgroup.controllers'))) ?? '';
  if (!controllers.split(/\s+/).includes('memory')) {
    return `${mount} has no memory controller (controllers: ${controllers.trim() || 'none'})`;
  }
  const parent = join(mount, PARENT_NAME);
  try {
    // The memory controller must be enabled on every level above the run's group.
    await writeFile(join(mount, 'cgroup.subtree_control'), '+memory').catch(() => undefined);
    await mkdir(parent, { recursive: true });
    await writeFile(join(parent, 'cgroup.subtree_control'), '+memory');
    return await probeChild(parent, ['memory.max', 'memory.events', 'cgroup.procs']);
  } catch (error) {
    return `cannot create a memory cgroup under ${mount}: ${errorText(error)}`;
  }
}

async function probeV2Kill(mount: string, notes: string[]): Promise<string | undefined> {
  const parent = join(mount, PARENT_NAME);
  try {
    await mkdir(parent, { recursive: true });
    const result = await probeChild(parent, ['cgroup.kill', 'cgroup.procs']);
    if (result === true) return parent;
    notes.push(`cgroup v2 kill group: ${result}`);
  } catch (error) {
    notes.push(`cgroup v2 kill group: cannot create ${parent}: ${errorText(error)}`);
  }
  return undefined;
}

async function probeV1Memory(mount: string): Promise<true | string> {
  const parent = join(mount, PARENT_NAME);
  try {
    await mkdir(parent, { recursive: true });
    return await probeChild(parent, ['memory.limit_in_bytes', 'memory.max_usage_in_bytes', 'memory.oom_control']);
  } catch (error) {
    return `${mount} is not writable: ${errorText(error)}`;
  }
}

/** Creates and removes one child group, checking that the files a run needs exist in it. */
async function probeChild(parent: string, files: readonly string[]): Promise<true | string> {
  const probe = join(parent, `probe-${process.pid}-${Date.now()}`);
  await mkdir(probe);
  try {
    const missing = files.filter((file) => !existsSync(join(probe, file)));
    return missing.length === 0 ? true : `${parent} lacks ${missing.join(', ')}`;
  } finally {
    await rmdir(probe).catch(() => undefined);
  }
}

interface Mount {
  readonly path: string;
  readonly type: string;
  readonly options: readonly string[];
}

async function readMounts(): Promise<Mount[]> {
  const text = (await readText('/proc/self/mounts')) ?? '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, path = '', type = '', options = ''] = line.split(' ');
      return { path, type, options: options.split(',') };
    });
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
