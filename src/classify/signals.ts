// Names for deaths by signal. "Killed by signal n" reaches shells and CI logs as exit 128 + n.
import { constants } from 'node:os';

export const SIGNAL_EXIT_BASE = 128;
const SIGKILL_EXIT_CODE = SIGNAL_EXIT_BASE + constants.signals.SIGKILL; // 137
const SIGTERM_EXIT_CODE = SIGNAL_EXIT_BASE + constants.signals.SIGTERM; // 143

// Several names share a number (SIGIOT = SIGABRT = 6): the first, canonical one wins.
const NAMES_BY_NUMBER = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) {
  if (!NAMES_BY_NUMBER.has(number)) NAMES_BY_NUMBER.set(number, name);
}

/** The signal behind a shell-style exit code (137 → SIGKILL), if it is one. */
export function signalFromExitCode(exitCode: number | undefined): string | undefined {
  if (exitCode === undefined || exitCode <= SIGNAL_EXIT_BASE) return undefined;
  return NAMES_BY_NUMBER.get(exitCode - SIGNAL_EXIT_BASE);
}

const MEANINGS: Record<string, string> = {
  SIGSEGV: 'a segmentation fault (native code read or wrote memory it does not own)',
  SIGABRT: 'an abort (a failed assertion in native code, or os.abort())',
  SIGBUS: 'a bus error (bad memory access, often a truncated memory-mapped file)',
  SIGFPE: 'an arithmetic fault in native code',
  SIGILL: 'an illegal instruction',
  SIGKILL:
    'SIGKILL from outside leakhunt; no kernel OOM kill was seen in its own cgroup — perhaps the machine-wide OOM killer (check dmesg) or another supervisor',
  SIGTERM:
    'SIGTERM from outside leakhunt (exit 143): ambiguous — a cancelled CI job, a runner-level timeout, or a kill under memory pressure all look the same',
  SIGINT: 'SIGINT (Ctrl-C) from outside leakhunt',
};

/** "killed by SIGSEGV: a segmentation fault (…)". */
export function describeSignal(signal: string): string {
  const meaning = MEANINGS[signal];
  return meaning === undefined ? `killed by ${signal}` : `killed by ${signal}: ${meaning}`;
}

export { SIGKILL_EXIT_CODE, SIGTERM_EXIT_CODE };
