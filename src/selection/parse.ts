// Selection file syntax: bytes → text → one entry per meaningful line, with its line number.
// Decides what a line *says* (select, exclude, include; path part and node-id part).
// Leaves to expand.ts everything that needs the filesystem: whether a path is a glob, a file
// or a directory, whether it exists, and what excludes remove. Pure: no fs, no process.
import { UsageError } from '../errors.js';
import type { SourceLocation } from './types.js';

/** A line that selects tests, or removes them (`!…`). */
export interface PatternEntry {
  readonly kind: 'select' | 'exclude';
  /** The entry as written, comment and `!` removed: used in messages. */
  readonly text: string;
  /** Path or glob, Windows separators turned into `/`. */
  readonly pathPart: string;
  /** "::TestX::test_y[1]" for a pytest node id, "" otherwise. Kept byte for byte. */
  readonly nodeSuffix: string;
  readonly location: SourceLocation;
}

/** `@include other.txt`: the path is relative to the including file's directory. */
export interface IncludeEntry {
  readonly kind: 'include';
  readonly text: string;
  readonly target: string;
  readonly location: SourceLocation;
}

export type SelectionEntry = PatternEntry | IncludeEntry;

const NODE_SEPARATOR = '::';
const INCLUDE_DIRECTIVE = /^@include(?:\s+(.*))?$/;

/**
 * Decodes a selection file strictly as UTF-8 (BOM dropped). Binary files, UTF-16 and
 * Latin-1 text are refused with a message naming the file, rather than read as garbage paths.
 */
export function decodeSelectionText(bytes: Uint8Array, file: string): string {
  if (startsWithUtf16Bom(bytes)) {
    throw new UsageError(
      `${file}: the file is UTF-16, not UTF-8`,
      'save it as UTF-8 (PowerShell: Out-File -Encoding utf8; Windows PowerShell\'s ">" writes UTF-16)',
    );
  }
  if (bytes.includes(0)) {
    throw new UsageError(
      `${file}: this looks like a binary file, not a selection file (it contains NUL bytes)`,
      'a selection file is UTF-8 text with one test path, glob or node id per line',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = findInvalidUtf8Offset(bytes);
    const line = 1 + bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length;
    const badByte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    throw new UsageError(
      `${file}:${line}: the file is not valid UTF-8 (byte 0x${badByte} at offset ${offset})`,
      'save the file as UTF-8 (it may be Latin-1 or another legacy encoding)',
    );
  }
}

/** Splits a selection file's text into entries; blank and comment lines produce none. */
export function parseSelectionText(text: string, file: string): SelectionEntry[] {
  const entries: SelectionEntry[] = [];
  // CRLF, LF and a lone CR (old Mac editors) all end a line.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const content = stripComment(lines[index] ?? '').trim();
    if (content === '') continue;
    entries.push(parseLine(content, { file, line: index + 1 }));
  }
  return entries;
}

function parseLine(content: string, location: SourceLocation): SelectionEntry {
  const include = INCLUDE_DIRECTIVE.exec(content);
  if (include) {
    const target = normalizeSeparators((include[1] ?? '').trim());
    if (target === '') throw lineError(location, '"@include" needs a file name', 'write "@include other.txt"');
    return { kind: 'include', text: content, target, location };
  }
  if (content.startsWith('@')) {
    throw lineError(
      location,
      `unknown directive "${content.split(/\s/)[0]}"`,
      'the only directive is "@include <file>"; a path starting with @ can be written as ./@name',
    );
  }
  const isExclude = content.startsWith('!');
  const text = isExclude ? content.slice(1).trim() : content;
  if (text === '') throw lineError(location, '"!" needs a path, glob or node id to exclude', 'write "!tests/test_slow.py"');
  if (isExclude && text.startsWith('@')) {
    throw lineError(location, `"!${text}": an include cannot be excluded`, 'remove the "!" or the "@include" line');
  }
  return { kind: isExclude ? 'exclude' : 'select', text, ...splitNodeId(text, location), location };
}

/** "tests/test_a.py::TestX::test_y[1]" → path "tests/test_a.py", suffix "::TestX::test_y[1]". */
function splitNodeId(text: string, location: SourceLocation): { pathPart: string; nodeSuffix: string } {
  const separatorAt = text.indexOf(NODE_SEPARATOR);
  const rawPath = separatorAt === -1 ? text : text.slice(0, separatorAt);
  const nodeSuffix = separatorAt === -1 ? '' : text.slice(separatorAt);
  const pathPart = normalizeSeparators(rawPath.trimEnd());
  if (pathPart === '') {
    throw lineError(location, `"${text}" has a node id but no file`, 'write it as path/to/test_file.py::test_name');
  }
  if (nodeSuffix === NODE_SEPARATOR) {
    throw lineError(location, `"${text}" ends with "::" but names no test`, 'remove the "::" to select the whole file');
  }
  return { pathPart, nodeSuffix };
}

/**
 * A `#` starts a comment at the start of the line or after whitespace, but not inside
 * `[…]`, so pytest ids such as `test_x[a #b]` survive. When a `[` is never closed the
 * brackets are ignored, so a stray bracket cannot swallow a comment.
 */
export function stripComment(line: string): string {
  if (!line.includes('#')) return line; // most lines: no scan (100 000-line selections)
  const bracketAware = scanForComment(line, true);
  const start = bracketAware.isBalanced ? bracketAware.start : scanForComment(line, false).start;
  return start === undefined ? line : line.slice(0, start);
}

function scanForComment(line: string, respectBrackets: boolean): { start: number | undefined; isBalanced: boolean } {
  let depth = 0;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (respectBrackets && char === '[') depth++;
    else if (respectBrackets && char === ']' && depth > 0) depth--;
    else if (char === '#' && depth === 0 && (index === 0 || /\s/.test(line[index - 1] ?? ''))) {
      return { start: index, isBalanced: true };
    }
  }
  return { start: undefined, isBalanced: depth === 0 };
}

/** Backslashes are path separators here (selections written on Windows), never glob escapes. */
export function normalizeSeparators(pathText: string): string {
  if (!pathText.includes('\\')) return pathText;
  return pathText.replaceAll('\\', '/');
}

function lineError(location: SourceLocation, problem: string, hint: string): UsageError {
  return new UsageError(`${location.file}:${location.line}: ${problem}`, hint);
}

function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Offset of the first byte of the first invalid sequence. Runs once, on the error path. */
function findInvalidUtf8Offset(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let failedAt = bytes.length; // a sequence cut short by the end of the file
  for (let index = 0; index < bytes.length; index++) {
    try {
      decoder.decode(bytes.subarray(index, index + 1), { stream: true });
    } catch {
      failedAt = index;
      break;
    }
  }
  // The decoder objects at the byte that breaks a sequence; the sequence began up to 3 bytes earlier.
  for (let start = failedAt; start > Math.max(0, failedAt - 4); start--) {
    if (decodesCompletely(bytes.subarray(0, start))) return start;
  }
  return Math.max(0, failedAt - 3);
}

function decodesCompletely(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
