// The journal's lines (`<out>/journal.jsonl`): a header naming the plan, then one line per
// finished run. Pure: text in, entries out. A line cut short by `kill -9` is skipped, not
// fatal — every line before it was fsync'd whole.
import type { ProcessOutcome } from '../execute/types.js';

export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  readonly type: 'journal';
  readonly version: typeof JOURNAL_VERSION;
  /** planFingerprint of the whole plan: a journal only resumes the plan that wrote it. */
  readonly planFingerprint: string;
  readonly selectionFile: string;
  readonly createdAt: string;
}

export interface JournalRun {
  readonly type: 'run';
  /** runKey of the run: equal keys mean the same tests, command, budgets and plan. */
  readonly key: string;
  readonly runId: string;
  readonly finishedAt: string;
  /** What the executor reported; replayed as is, so the RunRecord comes out the same. */
  readonly outcome: ProcessOutcome;
  /** Files the run left for the runner's results and probes, relative to the output directory. */
  readonly artifacts: Readonly<Record<string, string>>;
}

export interface ParsedJournal {
  readonly header: JournalHeader | undefined;
  readonly runs: ReadonlyMap<string, JournalRun>;
  /** Lines that could not be read (a torn last line after kill -9). */
  readonly skippedLines: number;
}

export function parseJournal(text: string): ParsedJournal {
  let header: JournalHeader | undefined;
  const runs = new Map<string, JournalRun>();
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (entry?.type === 'journal' && header === undefined) header = entry;
    else if (entry?.type === 'run') runs.set(entry.key, entry);
    else skippedLines += 1;
  }
  return { header, runs, skippedLines };
}

function parseLine(line: string): JournalHeader | JournalRun | undefined {
  try {
    const value = JSON.parse(line) as { type?: unknown; key?: unknown; planFingerprint?: unknown };
    if (value.type === 'journal' && typeof value.planFingerprint === 'string') return value as JournalHeader;
    if (value.type === 'run' && typeof value.key === 'string') return value as JournalRun;
  } catch {
    // a torn line: counted by the caller
  }
  return undefined;
}

export function formatLine(entry: JournalHeader | JournalRun): string {
  return `${JSON.stringify(entry)}\n`;
}
