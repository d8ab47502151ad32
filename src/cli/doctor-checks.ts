// `leakhunt doctor`: what works on this machine and why, each check a real attempt (a real
// process tree killed, a real sampler timed, the real python asked), never a guess from
// file names. A check returns one line; the command prints them and decides the exit code.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { LeakhuntError } from '../errors.js';
import { createProcessExecutor } from '../execute/executor.js';
import { waitFor } from '../execute/kill-tree.js';
import { makeOutDir } from '../journal/out-dir.js';
import { PYTEST_PROBE_DIR } from '../probe/attach.js';
import { findJest } from '../runners/jest.js';
import { resolvePyenvShim } from '../runners/pyenv-shim.js';
import { resolvePythonInterpreter } from '../runners/pytest-python.js';
import { findVitest } from '../runners/vitest.js';

export type CheckStatus = 'ok' | 'failed' | 'not-used';

export interface CheckLine {
  readonly status: CheckStatus;
  readonly title: string;
  readonly detail: string;
  /** What to do about a failed (or unused) check. */
  readonly fix?: string;
  /** A hunt cannot run without this one. */
  readonly essential: boolean;
}

const SECOND = 1000;

/** The memory backend `--backend auto` would choose, and a real tree killed by it on its time budget. */
export async function memoryAndKill(scratch: string): Promise<CheckLine[]> {
  const executor = await createProcessExecutor({ backend: 'auto' });
  const backend: CheckLine = {
    status: 'ok',
    essential: true,
    title: `memory: ${executor.backend}`,
    detail: executor.backendReason,
    ...(executor.backend.endsWith('sampler') && {
      fix: 'for a kernel-enforced budget, run where a memory cgroup is delegated (docs/executor.md)',
    }),
  };
  const pidFile = join(scratch, 'tree.pids');
  const started = Date.now();
  const outcome = await executor.run({
    runId: 'doctor-kill',
    cwd: scratch,
    env: {},
    logPath: join(scratch, 'kill.log'),
    argv: ['sh', '-c', `sleep 30 & echo $! > ${pidFile}; sleep 30 & echo $! >> ${pidFile}; wait`],
    budget: { memoryBytes: 256 * 1024 ** 2, timeoutMs: SECOND, graceMs: 500 },
  });
  await executor.close();
  const pids = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
  // A killed sleep is reaped by whoever adopted it a moment later: wait for that, briefly.
  await waitFor(() => pids.every((pid) => !isAlive(pid)), 2 * SECOND);
  const alive = pids.filter(isAlive);
  const killed = outcome.killedBy === 'time-budget' && pids.length === 2 && alive.length === 0;
  const kill: CheckLine = killed
    ? {
        status: 'ok',
        essential: true,
        title: 'kill a process tree',
        detail: `sh and its 2 sleeps stopped on a 1 s time budget, none left (${Date.now() - started} ms)`,
      }
    : {
        status: 'failed',
        essential: true,
        title: 'kill a process tree',
        detail:
          pids.length < 2
            ? `the test tree did not start (${outcome.spawnError ?? `exit ${outcome.exitCode}`})`
            : `pids ${alive.join(', ')} survived`,
        fix: 'leakhunt must be allowed to signal its own children (no seccomp/ptrace limits on kill); see docs/executor.md',
      };
  return [backend, kill];
}

/** What the sampler costs: leakhunt's own CPU while it samples a 3-process tree for 1 s. */
export async function samplerOverhead(scratch: string): Promise<CheckLine> {
  const backend = process.platform === 'linux' ? 'sampler' : 'ps';
  const executor = await createProcessExecutor({ backend });
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  await executor.run({
    runId: 'doctor-sampler',
    cwd: scratch,
    env: {},
    logPath: join(scratch, 'sampler.log'),
    argv: ['sh', '-c', 'sleep 30 & sleep 30 & wait'],
    budget: { memoryBytes: 256 * 1024 ** 2, timeoutMs: SECOND, graceMs: 500 },
  });
  await executor.close();
  const cpu = process.cpuUsage(cpuBefore);
  const share = (cpu.user + cpu.system) / 1000 / (Date.now() - started);
  return {
    status: 'ok',
    essential: false,
    title: `sampler fallback: ${executor.backend}`,
    detail: `measured ${(share * 100).toFixed(1)}% of one core while sampling a 3-process tree for 1 s (leakhunt's own CPU, sampling included)`,
  };
}

export async function python(cwd: string, given: string | undefined): Promise<CheckLine> {
  const title = 'python + pytest';
  let interpreter: ReturnType<typeof resolvePythonInterpreter>;
  try {
    interpreter = resolvePythonInterpreter({ projectDir: cwd, python: given });
  } catch (error) {
    if (!(error instanceof LeakhuntError)) throw error;
    return {
      status: 'not-used',
      essential: false,
      title,
      detail: error.message,
      fix: "needed only for pytest suites: pass --python, or activate the project's virtualenv",
    };
  }
  const script = `import sys; sys.path.insert(0, ${JSON.stringify(PYTEST_PROBE_DIR)}); import pytest, leakhunt_probe; print(sys.version.split()[0], pytest.__version__)`;
  const result = await execa(interpreter.path, ['-c', script], { cwd, reject: false, timeout: 30 * SECOND });
  if (result.exitCode !== 0) {
    const why = String(result.stderr).trim().split('\n').pop() ?? '';
    return {
      status: 'failed',
      essential: false,
      title,
      detail: `${interpreter.display}: ${why}`,
      fix: `${interpreter.display} -m pip install pytest (or pass --python with the interpreter that has it)`,
    };
  }
  const [pythonVersion, pytestVersion] = String(result.stdout).trim().split(' ');
  // What a hunt starts instead of a pyenv shim (runners/pyenv-shim.ts): shown, not assumed.
  const shim = await resolvePyenvShim(interpreter.path, cwd);
  const direct = shim === undefined ? '' : `; a pyenv shim: runs start ${shim.executable} directly`;
  return {
    status: 'ok',
    essential: false,
    title,
    detail: `${interpreter.display} (${interpreter.source}): python ${pythonVersion}, pytest ${pytestVersion}; the per-test probe loads${direct}`,
  };
}

export function nodeRunners(cwd: string): CheckLine[] {
  const installed = (name: string, find: () => { version: string | undefined }): CheckLine => {
    try {
      return {
        status: 'ok',
        essential: false,
        title: name,
        detail: `${name} ${find().version ?? '(version unknown)'}, the project's own (found from the current directory)`,
      };
    } catch {
      return {
        status: 'not-used',
        essential: false,
        title: name,
        detail: `not installed here`,
        fix: `needed only for ${name} suites: npm install there`,
      };
    }
  };
  return [
    { status: 'ok', essential: false, title: 'node + node:test', detail: `node ${process.versions.node}` },
    installed('jest', () => findJest(cwd)),
    installed('vitest', () => findVitest(cwd)),
  ];
}

const CI_SYSTEMS: readonly (readonly [string, string])[] = [
  ['GITHUB_ACTIONS', 'GitHub Actions'],
  ['GITLAB_CI', 'GitLab CI'],
  ['BUILDKITE', 'Buildkite'],
  ['CIRCLECI', 'CircleCI'],
  ['KUBERNETES_SERVICE_HOST', 'a Kubernetes pod'],
  ['CI', 'a CI system'],
];

export function ci(env: NodeJS.ProcessEnv): CheckLine {
  const found = CI_SYSTEMS.find(([variable]) => env[variable] !== undefined && env[variable] !== '' && env[variable] !== 'false');
  return found === undefined
    ? { status: 'not-used', essential: false, title: 'CI', detail: 'none detected (a local machine)' }
    : {
        status: 'ok',
        essential: false,
        title: 'CI',
        detail: `${found[1]} (${found[0]} is set); --shard auto reads its parallelism (docs/ci.md)`,
      };
}

/** --out: created if missing, a file written and removed; what did not exist before is removed again. */
export async function outWritable(out: string): Promise<CheckLine> {
  const dir = resolve(out);
  const existed = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  try {
    await makeOutDir(dir); // the hunt's own check: kernel filesystems refused, mistakes named
    const probe = join(dir, `.doctor-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe);
    if (!existed) await rmdir(dir).catch(() => undefined);
    return { status: 'ok', essential: true, title: `--out ${out}`, detail: existed ? 'writable' : 'can be created and written' };
  } catch (error) {
    const hint = error instanceof LeakhuntError ? error.hint : undefined;
    return {
      status: 'failed',
      essential: true,
      title: `--out ${out}`,
      detail: (error as Error).message,
      fix: hint ?? 'pass --out with a directory you can write to',
    };
  }
}

export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'leakhunt-doctor-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// A zombie (exited, not yet reaped) is dead for this purpose: it holds no memory and runs nothing.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux'; // no /proc entry on Linux: gone; elsewhere kill(0) is the answer
  }
}
