// Chooses how a run's memory is measured and enforced, once per process, and says why the
// better options were not taken (printed by --help/doctor and recorded in the report).
// Order (docs/platform.md §0, §4): cgroup v2 with memory controller, cgroup v1 memory if writable,
// the /proc sampler; where there is no /proc (macOS), the ps sampler. LEAKHUNT_BACKEND=sampler
// or =ps forces one of the samplers (the tests exercise every backend on Linux).
import { EnvironmentError } from '../errors.js';
import { type CgroupLayout, probeCgroups } from './budget/cgroup-detect.js';
import { procfsTable } from './processes/procfs.js';
import { PsTable } from './processes/ps.js';
import type { ProcessTable } from './processes/table.js';
import type { MemoryBackend } from './types.js';

export type BackendRequest = 'auto' | 'cgroup' | 'sampler' | 'ps';

export interface BackendChoice {
  readonly backend: MemoryBackend;
  readonly reason: string;
  /** Cgroups each run gets; none at all when a sampler was forced. */
  readonly layout: CgroupLayout;
  /** Where the sampler and the killer read processes from. */
  readonly table: ProcessTable;
}

const NO_CGROUPS: CgroupLayout = { memory: undefined, killRoot: undefined };

let probed: ReturnType<typeof probeCgroups> | undefined;

/** The best backend this machine offers, with the reason better ones are unavailable. */
export async function detectMemoryBackend(): Promise<{ backend: MemoryBackend; reason: string }> {
  const { backend, reason } = await chooseBackend('auto', process.env);
  return { backend, reason };
}

export async function chooseBackend(
  request: BackendRequest,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<BackendChoice> {
  const forced = env.LEAKHUNT_BACKEND === 'sampler' || env.LEAKHUNT_BACKEND === 'ps' ? env.LEAKHUNT_BACKEND : undefined;
  if (forced !== undefined || request === 'sampler' || request === 'ps') {
    const by = forced !== undefined ? `LEAKHUNT_BACKEND=${forced}` : `--backend ${request}`;
    const usePs = (forced ?? request) === 'ps' || platform !== 'linux';
    // Forced means no cgroup at all, not even for killing: that is what such a machine gets.
    return usePs
      ? { backend: 'ps-sampler', reason: `forced by ${by}`, layout: NO_CGROUPS, table: new PsTable() }
      : { backend: 'proc-sampler', reason: `forced by ${by}`, layout: NO_CGROUPS, table: procfsTable };
  }
  if (platform !== 'linux') {
    if (request === 'cgroup') {
      throw new EnvironmentError(
        `--backend cgroup: cgroups exist only on Linux, this is ${platform}`,
        'use --backend auto: leakhunt samples the process tree with ps and enforces the budget itself',
      );
    }
    return {
      backend: 'ps-sampler',
      reason: `${platform} has no cgroups or /proc: sampling the tree with ps`,
      layout: NO_CGROUPS,
      table: new PsTable(),
    };
  }
  probed ??= probeCgroups();
  const { layout, notes } = await probed;
  if (layout.memory !== undefined) {
    const backend = layout.memory.version === 2 ? 'cgroup-v2' : 'cgroup-v1';
    const reason = [...notes, `using ${backend} memory limits under ${layout.memory.root}`].join('; ');
    return { backend, reason, layout, table: procfsTable };
  }
  const reason = [...notes, 'using the /proc sampler'].join('; ');
  if (request === 'cgroup') {
    throw new EnvironmentError(
      `--backend cgroup: no usable memory cgroup (${notes.join('; ')})`,
      'run as root, or where a cgroup v2 memory controller is delegated to you; or use --backend auto to fall back to the /proc sampler',
    );
  }
  return { backend: 'proc-sampler', reason, layout, table: procfsTable };
}
