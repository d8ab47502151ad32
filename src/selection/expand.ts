// Turns select lines into tests on disk: a literal path (file or directory), a pytest node id
// (its file must exist), or a glob (files only, sorted, expanded with fast-glob). An entry
// that matches nothing becomes a MissingEntry; load.ts decides if that is an error or a warning.
// The filesystem edge of the selection stage: stat and directory walks happen here only.
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import pLimit from 'p-limit';
import { UsageError } from '../errors.js';
import type { ExpandedTest } from './expanded.js';
import type { SourcedEntry } from './include.js';
import { formatLocation } from './include.js';
import { normalizeSeparators } from './parse.js';

export interface MissingEntry {
  readonly sourced: SourcedEntry;
  readonly problem: 'does not exist' | 'matches no file';
}

export interface ExpandResult {
  readonly tests: ExpandedTest[];
  readonly missing: MissingEntry[];
}

/** Directory walks at once; each glob walks its own base, so a few overlap well. */
const GLOB_CONCURRENCY = 8;

/** Unless a glob names them, these are never test sources and can be huge. */
const ALWAYS_SKIPPED_DIRS = ['node_modules', '.git'];

export type PathKind = 'file' | 'directory' | undefined;

/** What is at this path, following symlinks; undefined when nothing (or unreadable). */
export function statPathKind(absolutePath: string): PathKind {
  try {
    const stats = fs.statSync(absolutePath, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    return stats.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined; // ENOTDIR ("a.py/x"), EACCES: nothing a selection can use
  }
}

export function resolveEntryPath(sourced: SourcedEntry): string {
  return normalizeSeparators(path.resolve(sourced.baseDir, sourced.entry.pathPart));
}

/** resolveEntryPath, once per base directory and path: node ids repeat their file (200 per file is common). */
function resolvedOnce(): (sourced: SourcedEntry) => string {
  const byBase = new Map<string, Map<string, string>>();
  return (sourced) => {
    let byPath = byBase.get(sourced.baseDir);
    if (byPath === undefined) byBase.set(sourced.baseDir, (byPath = new Map()));
    let resolved = byPath.get(sourced.entry.pathPart);
    if (resolved === undefined) byPath.set(sourced.entry.pathPart, (resolved = resolveEntryPath(sourced)));
    return resolved;
  };
}

/** Characters without which fast-glob sees no pattern; checked first because isDynamicPattern is slow. */
const GLOB_SYNTAX = /[*?[\]{}()!+@]/;

export function isGlobPattern(pathPart: string): boolean {
  return GLOB_SYNTAX.test(pathPart) && fg.isDynamicPattern(pathPart);
}

/** Expands every select line, keeping the order of the lines; globs run concurrently. */
export async function expandSelects(selects: readonly SourcedEntry[]): Promise<ExpandResult> {
  const globMatches = await expandGlobs(selects);
  const tests: ExpandedTest[] = [];
  const missing: MissingEntry[] = [];
  const kindByPath = new Map<string, PathKind>(); // node ids repeat their file: stat it once
  const resolvePath = resolvedOnce();
  for (const sourced of selects) {
    const absolutePath = resolvePath(sourced);
    const kind = kindByPath.has(absolutePath) ? kindByPath.get(absolutePath) : statPathKind(absolutePath);
    kindByPath.set(absolutePath, kind);
    if (kind !== undefined) {
      tests.push(makeLiteralTest(sourced, absolutePath, kind));
      continue;
    }
    const matches = globMatches.get(globKey(sourced));
    if (matches === undefined) missing.push({ sourced, problem: 'does not exist' });
    else if (matches.length === 0) missing.push({ sourced, problem: 'matches no file' });
    else for (const match of matches) tests.push(makeGlobTest(sourced, match));
  }
  return { tests, missing };
}

function makeLiteralTest(sourced: SourcedEntry, absolutePath: string, kind: 'file' | 'directory'): ExpandedTest {
  const { entry } = sourced;
  if (kind === 'directory' && entry.nodeSuffix !== '') {
    throw new UsageError(
      `${formatLocation(entry.location)}: "${entry.text}" is a node id, but "${entry.pathPart}" is a directory`,
      'a node id starts with a test file: path/to/test_file.py::test_name',
    );
  }
  return {
    absolutePath,
    nodeSuffix: entry.nodeSuffix,
    source: entry.location,
    isDirectory: kind === 'directory',
    label: entry.text,
  };
}

function makeGlobTest(sourced: SourcedEntry, absolutePath: string): ExpandedTest {
  const label = path.isAbsolute(sourced.entry.pathPart) ? absolutePath : path.posix.relative(sourced.baseDir, absolutePath);
  return { absolutePath, nodeSuffix: '', source: sourced.entry.location, isDirectory: false, label };
}

/** Glob results for every select line that is a glob and not an existing literal path. */
async function expandGlobs(selects: readonly SourcedEntry[]): Promise<Map<string, string[]>> {
  // Validate every glob before starting any walk, so that an error leaves no walk behind.
  const globs = new Map<string, SourcedEntry>();
  for (const sourced of selects) {
    if (!isGlobPattern(sourced.entry.pathPart)) continue;
    const key = globKey(sourced);
    if (globs.has(key)) continue;
    if (statPathKind(resolveEntryPath(sourced)) !== undefined) continue; // "test_[a].py" that exists as named
    validateNoNodeSuffixOnGlob(sourced);
    globs.set(key, sourced);
  }
  const limit = pLimit(GLOB_CONCURRENCY);
  const settled = await Promise.all(
    [...globs].map(([key, sourced]) => limit(async () => [key, await globFiles(sourced.entry.pathPart, sourced.baseDir, true)] as const)),
  );
  return new Map(settled);
}

function validateNoNodeSuffixOnGlob({ entry }: SourcedEntry): void {
  if (entry.nodeSuffix === '') return;
  throw new UsageError(
    `${formatLocation(entry.location)}: "${entry.text}" puts a node id after a glob`,
    'a node id needs one literal test file: path/to/test_file.py::test_name',
  );
}

/** Absolute, posix, sorted: fast-glob returns directory-walk order, which varies by filesystem. */
export async function globFiles(pattern: string, baseDir: string, onlyFiles: boolean): Promise<string[]> {
  const { walkDir, dynamicPart } = splitStaticBase(pattern, baseDir);
  const matches = await fg(dynamicPart, {
    cwd: walkDir,
    absolute: true,
    onlyFiles,
    dot: false,
    followSymbolicLinks: true,
    unique: true,
    ignore: ALWAYS_SKIPPED_DIRS.filter((dir) => !pattern.includes(dir)).map((dir) => `**/${dir}/**`),
  });
  return matches.map(normalizeSeparators).sort(compareCodePoints);
}

/**
 * "../tests/**\/test_*.py" → walk "<base>/../tests" for "**\/test_*.py". Walking from the
 * pattern's literal prefix makes the ignore list apply to "../" patterns too (fast-glob's
 * "**" never matches ".."), and starts the walk where the tests are.
 */
function splitStaticBase(pattern: string, baseDir: string): { walkDir: string; dynamicPart: string } {
  // Braces may hide a "/" ("{unit,e2e/fast}/*.py"): leave such patterns whole.
  if (/[{}]/.test(pattern)) return { walkDir: baseDir, dynamicPart: pattern };
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex(isGlobPattern);
  if (firstDynamic <= 0) return { walkDir: baseDir, dynamicPart: pattern };
  const staticPart = segments.slice(0, firstDynamic).join('/') || '/';
  return { walkDir: path.resolve(baseDir, staticPart), dynamicPart: segments.slice(firstDynamic).join('/') };
}

function compareCodePoints(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function globKey(sourced: SourcedEntry): string {
  return `${sourced.baseDir}\u0000${sourced.entry.pathPart}`;
}

/** What one `!` line names on disk, resolved once so that applying it is pure. */
export interface ExcludeRule {
  readonly sourced: SourcedEntry;
  /** The absolute path it names, or every glob match (files and directories). */
  readonly paths: readonly string[];
  /** "" removes whole paths (and everything under them); else node ids inside the file. */
  readonly nodeSuffix: string;
}

/** Excludes are matched by path, not by stat: a path that no longer exists just matches nothing. */
export async function resolveExcludes(excludes: readonly SourcedEntry[]): Promise<ExcludeRule[]> {
  const limit = pLimit(GLOB_CONCURRENCY);
  return Promise.all(
    excludes.map(async (sourced): Promise<ExcludeRule> => {
      const literalPath = resolveEntryPath(sourced);
      const isGlob = isGlobPattern(sourced.entry.pathPart) && statPathKind(literalPath) === undefined;
      if (!isGlob) return { sourced, paths: [literalPath], nodeSuffix: sourced.entry.nodeSuffix };
      validateNoNodeSuffixOnGlob(sourced);
      const paths = await limit(() => globFiles(sourced.entry.pathPart, sourced.baseDir, false));
      return { sourced, paths, nodeSuffix: '' };
    }),
  );
}
