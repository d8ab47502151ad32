// Follows `@include` lines from the top selection file, depth first, so entries come out
// in the order a person reading the files would meet them. Decides which directory each
// entry's paths are relative to, and refuses cycles and missing include files.
// Reading bytes is passed in (`readFile`), so this module has no fs of its own.
import path from 'node:path';
import { UsageError } from '../errors.js';
import { decodeSelectionText, type PatternEntry, parseSelectionText } from './parse.js';
import type { SourceLocation } from './types.js';

export type ReadResult = { readonly bytes: Uint8Array } | { readonly problem: 'missing' | 'directory' };

/** Reads a file by absolute path; never throws for a missing file or a directory. */
export type ReadSelectionFile = (absolutePath: string) => ReadResult;

export interface SourcedEntry {
  readonly entry: PatternEntry;
  /** Absolute directory the entry's relative paths start from. */
  readonly baseDir: string;
}

export interface SelectionSource {
  /** Select and exclude lines of every file, in reading order. */
  readonly entries: readonly SourcedEntry[];
  /** Every file read, as displayed in messages (top file first). */
  readonly files: readonly string[];
}

export interface CollectOptions {
  /** Absolute --root; when undefined each file's entries are relative to its own directory. */
  readonly rootDir: string | undefined;
  /** Absolute directory a relative top-level file name starts from. */
  readonly cwd: string;
  readonly readFile: ReadSelectionFile;
}

/** Deeper than this is a mistake (or a cycle through symlinks that paths do not reveal). */
const MAX_INCLUDE_DEPTH = 32;

interface OpenFile {
  readonly absolutePath: string;
  readonly displayName: string;
  /** The `@include` line that opened this file; undefined for the top file. */
  readonly includedAt: SourceLocation | undefined;
}

export function collectSelectionEntries(topFile: string, options: CollectOptions): SelectionSource {
  const top: OpenFile = { absolutePath: path.resolve(options.cwd, topFile), displayName: topFile, includedAt: undefined };
  const entries: SourcedEntry[] = [];
  const files: string[] = [];
  readInto(top, [], options, entries, files);
  return { entries, files };
}

function readInto(file: OpenFile, stack: readonly OpenFile[], options: CollectOptions, entries: SourcedEntry[], files: string[]): void {
  const text = decodeSelectionText(readOrThrow(file, options.readFile), file.displayName);
  files.push(file.displayName);
  const baseDir = options.rootDir ?? path.dirname(file.absolutePath);
  const openStack = [...stack, file];
  for (const entry of parseSelectionText(text, file.displayName)) {
    if (entry.kind !== 'include') {
      entries.push({ entry, baseDir });
      continue;
    }
    // Include paths follow the including file, never --root: a file means the same wherever it is used.
    const child: OpenFile = {
      absolutePath: path.resolve(path.dirname(file.absolutePath), entry.target),
      displayName: path.isAbsolute(entry.target) ? entry.target : path.join(path.dirname(file.displayName), entry.target),
      includedAt: entry.location,
    };
    validateNotCycle(child, openStack);
    readInto(child, openStack, options, entries, files);
  }
}

function readOrThrow(file: OpenFile, readFile: ReadSelectionFile): Uint8Array {
  const result = readFile(file.absolutePath);
  if ('bytes' in result) return result.bytes;
  const what = result.problem === 'missing' ? 'does not exist' : 'is a directory, not a selection file';
  if (file.includedAt === undefined) {
    throw new UsageError(
      `selection file "${file.displayName}" ${what}`,
      `relative names start from the current directory; the file was looked for at ${file.absolutePath}`,
    );
  }
  throw new UsageError(
    `${formatLocation(file.includedAt)}: included file "${file.displayName}" ${what}`,
    `@include paths are relative to the including file's directory; it was looked for at ${file.absolutePath}`,
  );
}

function validateNotCycle(child: OpenFile, openStack: readonly OpenFile[]): void {
  const repeatAt = openStack.findIndex((open) => open.absolutePath === child.absolutePath);
  if (repeatAt !== -1) {
    // Name every include line of the loop, from the first file of the cycle back to itself.
    const loop = [...openStack.slice(repeatAt + 1), child].map((open) => describeInclude(open));
    throw new UsageError(
      `${formatLocation(child.includedAt)}: "@include" makes a cycle: ${loop.join(', ')}`,
      'remove one of these @include lines; a file may be included from several places, but never from inside itself',
    );
  }
  if (openStack.length >= MAX_INCLUDE_DEPTH) {
    throw new UsageError(
      `${formatLocation(child.includedAt)}: includes are nested more than ${MAX_INCLUDE_DEPTH} deep`,
      'look for a cycle through symbolic links, or flatten the includes',
    );
  }
}

function describeInclude(file: OpenFile): string {
  return `${formatLocation(file.includedAt)} includes ${file.displayName}`;
}

export function formatLocation(location: SourceLocation | undefined): string {
  return location === undefined ? '(command line)' : `${location.file}:${location.line}`;
}
