// The word a count of selection entries takes: "24 tests", "16 files", "14 entries". A line
// that names a file or a folder is not one test, and "16 tests" beside the runner's "108 passed"
// reads as a miscount (docs/glossary.md: entry). Every view that counts entries (plan, run,
// collect, the report) says it the same way.
import type { TestId } from '../plan/types.js';
import { splitFilePart } from './frame.js';

export type EntryNoun = 'test' | 'file' | 'entry';

/** test: every entry a node id; file: every entry a file path; entry: mixed, or a folder. */
export function entryNoun(entries: readonly TestId[]): EntryNoun {
  const isTestId = (entry: string): boolean => splitFilePart(entry)[1] !== '';
  if (entries.length > 0 && entries.every(isTestId)) return 'test';
  return entries.every((entry) => !isTestId(entry) && /\.[A-Za-z0-9]+$/.test(entry)) ? 'file' : 'entry';
}

const PLURAL: Record<EntryNoun, string> = { test: 'tests', file: 'files', entry: 'entries' };

/** "tests", "files", "entries": a column of counts. */
export function pluralOf(noun: EntryNoun): string {
  return PLURAL[noun];
}

/** "1 test", "2 files", "3 entries". */
export function countOf(count: number, noun: EntryNoun): string {
  return `${count} ${count === 1 ? noun : PLURAL[noun]}`;
}

/** The entries counted with their own word: "9 files" for 9 files. */
export function countEntries(entries: readonly TestId[], noun: EntryNoun = entryNoun(entries)): string {
  return countOf(entries.length, noun);
}
