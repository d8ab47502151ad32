// How the tests see which processes are alive, without going through leakhunt's own process
// code: plain `ps`, which Linux (procps) and macOS (BSD ps) both have. The environment is
// appended to each command by `e` on procps and `-E` on BSD ps.
import { execFileSync } from 'node:child_process';

const WITH_ENVIRONMENT = process.platform === 'linux' ? ['e'] : ['-E'];

function ps(args: readonly string[]): string {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? ''; // exit 1: no such pid
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  const state = ps(['-p', String(pid), '-o', 'state=']).trim();
  return state !== '' && !state.startsWith('Z');
}

/** Live (non-zombie) processes with an environment word matching `entry`, e.g. /^LEAKHUNT_RUN_ID=b1$/. */
export function livingProcessesWithEnv(entry: RegExp): number[] {
  const listing = ps(['-A', '-ww', ...WITH_ENVIRONMENT, '-o', 'pid=', '-o', 'state=', '-o', 'args=']);
  const found: number[] = [];
  for (const line of listing.split('\n')) {
    const [pid, state, ...words] = line.trim().split(/\s+/);
    if (pid === undefined || state === undefined || state.startsWith('Z') || Number(pid) === process.pid) continue;
    if (words.some((word) => entry.test(word))) found.push(Number(pid));
  }
  return found;
}

/** Live (non-zombie) processes whose command line contains `text`, as "pid command" lines. */
export function livingProcessesWhoseCommandHas(text: string): string[] {
  // -A, not -e: BSD ps reads -e as "show the environment".
  const listing = ps(['-A', '-ww', '-o', 'pid=', '-o', 'state=', '-o', 'args=']);
  return listing
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s(.*)$/.exec(line))
    .filter(
      (match): match is RegExpExecArray =>
        match !== null && !(match[2] ?? '').startsWith('Z') && (match[3] ?? '').includes(text) && !(match[3] ?? '').startsWith('ps -A -ww'),
    )
    .map((match) => `${match[1]} ${match[3]}`);
}

/** The command line of a live process, '' when it is gone. */
export function commandOf(pid: number): string {
  return ps(['-p', String(pid), '-ww', '-o', 'args=']).trim();
}
