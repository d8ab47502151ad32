// The two `ps` dialects leakhunt reads, and what their output means. Pure: arguments out,
// text in, rows out; ps.ts runs the commands. Both procps (Linux) and BSD ps (macOS) accept
// `-A -ww -o key=`; an empty header ("key=") prints no title line. They differ in how to
// append the environment to the command: procps takes the BSD-style letter `e`, BSD ps `-E`.
// lstart is a fixed ctime-style date in the C locale on both ("Mon Nov  3 09:04:06 2026").

export type PsDialect = 'procps' | 'bsd';

export interface PsRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly residentBytes: number;
  /** First letter of ps's state column (BSD adds flags: "Ss", "R+"). */
  readonly state: string;
  /** ps's lstart text, kept as it is: an opaque start key. */
  readonly started: string;
  readonly command: string;
}

export function dialectFor(platform: NodeJS.Platform): PsDialect {
  return platform === 'linux' ? 'procps' : 'bsd';
}

/** Every process with the columns parsePsListing reads. */
export function listingArgs(): string[] {
  return ['-A', '-ww', ...['pid', 'ppid', 'pgid', 'rss', 'state', 'lstart', 'args'].flatMap((key) => ['-o', `${key}=`])];
}

/** Every process's pid and command line followed by its environment ("KEY=value" words). */
export function environmentArgs(dialect: PsDialect, pid?: number): string[] {
  const which = pid === undefined ? ['-A'] : ['-p', String(pid)];
  const withEnvironment = dialect === 'procps' ? ['e'] : ['-E'];
  return [...which, '-ww', ...withEnvironment, '-o', 'pid=', '-o', 'args='];
}

export function executableArgs(pid: number): string[] {
  return ['-p', String(pid), '-o', 'comm='];
}

const ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)(?:\s(.*))?$/;

export function parseListing(text: string): Map<number, PsRow> {
  const rows = new Map<number, PsRow>();
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (match === null) continue;
    const [, pid, ppid, pgid, rssKiB, state, started, command] = match;
    rows.set(Number(pid), {
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      residentBytes: Number(rssKiB) * 1024,
      state: (state ?? '?').charAt(0),
      started: (started ?? '').replace(/\s+/g, ' '),
      command: (command ?? '').trim(),
    });
  }
  return rows;
}

/**
 * Pids whose line of an environment listing holds `entry` as a whole word. The command's own
 * words come first on the line, so a command that merely mentions the entry matches too:
 * harmless here, the run keys are unique to one leakhunt process.
 */
export function pidsWithWord(text: string, entry: string): number[] {
  const pids: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s(.*)$/.exec(line);
    if (match !== null && (match[2] ?? '').split(/\s+/).includes(entry)) pids.push(Number(match[1]));
  }
  return pids;
}

/**
 * Every process's value of the variable `name`, from an all-process environment listing
 * (environmentArgs without a pid). Words are split at spaces: meant for values without them
 * (LEAKHUNT_RUN_KEY). A command that merely mentions "NAME=…" matches too, as in pidsWithWord.
 */
export function valuesInListing(text: string, name: string): Map<number, string> {
  const values = new Map<number, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s(.*)$/.exec(line);
    const word = match === null ? undefined : (match[2] ?? '').split(/\s+/).find((candidate) => candidate.startsWith(`${name}=`));
    if (match !== null && word !== undefined) values.set(Number(match[1]), word.slice(name.length + 1));
  }
  return values;
}

/**
 * One variable's value from a single process's environment listing. Values are separated by
 * spaces in ps's output, so a value with spaces is cut at the first one that is followed by
 * another "NAME=" word: good enough to test for a flag inside NODE_OPTIONS.
 */
export function valueInListing(text: string, name: string): string | undefined {
  const words = text.trim().split(/\s+/);
  const start = words.findIndex((word) => word.startsWith(`${name}=`));
  if (start === -1) return undefined;
  const value = [(words[start] ?? '').slice(name.length + 1)];
  for (const word of words.slice(start + 1)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) break;
    value.push(word);
  }
  return value.join(' ');
}
