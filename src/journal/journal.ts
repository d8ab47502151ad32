// The journal file: opened once per hunt, appended to (and fsync'd) as each run ends, so
// `--resume` after a crash, `kill -9` or a cancelled CI job finds every finished run.
// Decides what a new hunt does with an old journal: without --resume it is kept as
// journal.previous.jsonl and a new one begins; with --resume it is reused when it was
// written for the same plan, and otherwise set aside with a notice (never an error: a CI
// re-run may always pass --resume).
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { formatLine, JOURNAL_VERSION, type JournalHeader, type JournalRun, parseJournal } from './entries.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const PREVIOUS_JOURNAL_FILE = 'journal.previous.jsonl';

export interface JournalOptions {
  readonly outDir: string;
  readonly resume: boolean;
  readonly planFingerprint: string;
  readonly selectionFile: string;
  readonly now: () => Date;
}

export class RunJournal {
  private constructor(
    readonly path: string,
    private readonly recorded: ReadonlyMap<string, JournalRun>,
    /** One line for people about what happened to an earlier journal; undefined when nothing did. */
    readonly notice: string | undefined,
  ) {}

  static async open(options: JournalOptions): Promise<RunJournal> {
    const path = join(options.outDir, JOURNAL_FILE);
    const existing = await readFile(path, 'utf8').catch(() => undefined);
    const parsed = existing === undefined ? undefined : parseJournal(existing);
    if (options.resume && parsed?.header?.planFingerprint === options.planFingerprint) {
      const torn = parsed.skippedLines > 0 ? ` (${parsed.skippedLines} unreadable line(s) ignored)` : '';
      return new RunJournal(path, parsed.runs, `resuming: ${parsed.runs.size} finished run(s) in ${path}${torn}`);
    }
    if (existing !== undefined) await rename(path, join(options.outDir, PREVIOUS_JOURNAL_FILE));
    const journal = new RunJournal(path, new Map(), options.resume ? whyNotResumed(path, parsed?.header) : undefined);
    await journal.appendLine(headerOf(options));
    return journal;
  }

  /** The recorded run with this key, if a finished run had it. */
  lookup(key: string): JournalRun | undefined {
    return this.recorded.get(key);
  }

  async append(run: JournalRun): Promise<void> {
    await this.appendLine(run);
  }

  // Open, write, fsync, close for every line: a run takes seconds, a sync milliseconds, and a
  // kill -9 at any moment leaves at most one torn line.
  private async appendLine(entry: JournalHeader | JournalRun): Promise<void> {
    const handle = await open(this.path, 'a');
    try {
      await handle.write(formatLine(entry));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

function headerOf(options: JournalOptions): JournalHeader {
  return {
    type: 'journal',
    version: JOURNAL_VERSION,
    planFingerprint: options.planFingerprint,
    selectionFile: options.selectionFile,
    createdAt: options.now().toISOString(),
  };
}

function whyNotResumed(path: string, header: JournalHeader | undefined): string {
  if (header === undefined) return `--resume: no journal at ${path}; starting a new hunt`;
  return `--resume: ${path} was written for a different plan (selection ${header.selectionFile}, or other batch size, seed or tests); kept as ${PREVIOUS_JOURNAL_FILE}, starting a new hunt`;
}
