// Repro commands are read by people and pasted into a POSIX shell, so quoting favours
// readability: plain words stay bare, anything else goes in single quotes.
// (shell-quote's `quote` is correct too, but it writes `test_x.py:\:test_y\[1\]`.)
import { relative } from 'node:path';
import { userPathFrom } from '../selection/frame.js';

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument so `sh` reads it back unchanged. */
export function quoteWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  // Inside single quotes nothing is special except the quote itself: close, escape, reopen.
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// `A=1` bare before the command is an environment assignment to sh, not the program A=1.
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Joins argv into one shell line that runs exactly that argv. */
export function quoteCommand(words: readonly string[]): string {
  // Only the program's word is read as an assignment (sh reads leading NAME=value words so);
  // quoted, it is the argv[0] it was.
  return words.map((word, index) => (index === 0 && ASSIGNMENT.test(word) ? `'${word}'` : quoteWord(word))).join(' ');
}

/**
 * "cd sub/dir && " when a command must run in `dir` but the reader stands in `cwd`; "" when
 * they are one. For runners that read their configuration from their cwd (jest, --cmd).
 */
export function cdPrefix(cwd: string | undefined, dir: string): string {
  if (cwd === undefined) return '';
  if (relative(cwd, dir) === '') return '';
  return `cd ${quoteWord(userPathFrom(cwd, dir))} && `;
}
