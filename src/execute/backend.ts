// Chooses how a run's memory is measured and enforced, once per process, and says why the
// better options were not taken (printed by --help/doctor and recorded in the report).
// Order (PLATFORM §0, §4): cgroup v2 with memory controller, cgroup v1 memory if writable,
// the /proc sampler. LEAKHUNT_BACKEND=sampler forces the sampler (tests exercise both).
import { EnvironmentError } from '../errors.js';
import { type CgroupLayout, probeCgroups } from './budget/cgroup-detect.js';
import type { MemoryBackend } from './types.js';

export type BackendRequest = 'auto' | 'cgroup' | 'sampler';

export interface BackendChoice {
  readonly backend: MemoryBackend;
  readonly reason: string;
  /** Cgroups each run gets; none at all when the sampler was forced. */
  readonly layout: CgroupLayout;
}

const NO_CGROUPS: CgroupLayout = { memory: undefined, killRoot: undefined };

let probed: ReturnType<typeof probeCgroups> | undefined;

/** The best backend this machine offers, with the reason better ones are unavailable. */
export async function detectMemoryBackend(): Promise<{ backend: MemoryBackend; reason: string }> {
  const { backend, reason } = await chooseBackend('auto', process.env);
  return { backend, reason };
}

export async function chooseBackend(request: BackendRequest, env: NodeJS.ProcessEnv): Promise<BackendChoice> {
  if (env.LEAKHUNT_BACKEND === 'sampler' || request === 'sampler') {
    const by = env.LEAKHUNT_BACKEND === 'sampler' ? 'LEAKHUNT_BACKEND=sampler' : '--backend sampler';
    // Forced means no cgroup at all, not even for killing: that is what such a machine gets.
    return { backend: 'proc-sampler', reason: `forced by ${by}`, layout: NO_CGROUPS };
  }
  probed ??= probeCgroups();
  const { layout, notes } = await probed;
  if (layout.memory !== undefined) {
    const backend = layout.memory.version === 2 ? 'cgroup-v2' : 'cgroup-v1';
    const reason = [...notes, `using ${backend} memory limits under ${layout.memory.root}`].join('; ');
    return { backend, reason, layout };
  }
  const reason = [...notes, 'using the /proc sampler'].join('; ');
  if (request === 'cgroup') {
    throw new EnvironmentError(`--backend cgroup: no usable memory cgroup (${notes.join('; ')})`,
      'run as root, or where a cgroup v2 memory controller is delegated to you; or use --backend auto to fall back to the /proc sampler');
  }
  return { backend: 'proc-sampler', reason, layout };
}
