// Entry point of the selection stage: selection file → Selection. Joins the parts:
// include.ts (read files, follow @include), expand.ts (paths and globs on disk),
// exclude.ts (`!` lines as a filter), dedupe.ts (each test once). Decides only what is fatal:
// a missing entry (unless --allow-missing) and an empty result. Format: docs/selection.md.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { dedupeTests } from './dedupe.js';
import { applyExcludes } from './exclude.js';
import { expandSelects, type MissingEntry, resolveExcludes } from './expand.js';
import type { ExpandedTest } from './expanded.js';
import { describeMissingHint, type HintContext } from './hint.js';
import { collectSelectionEntries, formatLocation, type ReadResult, type SourcedEntry } from './include.js';
import type { SelectedTest, Selection } from './types.js';

export interface LoadSelectionOptions {
  /** Directory entries are relative to; default: the selection file's own directory. */
  readonly root?: string;
  /** Missing paths / globs matching nothing become warnings instead of errors. */
  readonly allowMissing: boolean;
  /** Where a relative file name or --root starts from; default: process.cwd(). */
  readonly cwd?: string;
}

export async function loadSelection(file: string, options: LoadSelectionOptions): Promise<Selection> {
  const cwd = options.cwd ?? process.cwd();
  const rootDir = options.root === undefined ? undefined : resolveRootDir(options.root, cwd);
  const source = collectSelectionEntries(file, { rootDir, cwd, readFile: readSelectionFileFromDisk });
  const selects = source.entries.filter(({ entry }) => entry.kind === 'select');
  const excludes = source.entries.filter(({ entry }) => entry.kind === 'exclude');

  const expanded = await expandSelects(selects);
  const missingWarnings = await handleMissing(expanded.missing, options.allowMissing, { cwd, rootDir });
  const excluded = applyExcludes(expanded.tests, await resolveExcludes(excludes));
  const deduped = dedupeTests(excluded.tests);
  if (deduped.tests.length === 0) throw emptySelectionError(file, selects, expanded.tests.length);
  return {
    file,
    root: rootDir ?? path.dirname(path.resolve(cwd, file)).replaceAll('\\', '/'),
    tests: deduped.tests.map(toSelectedTest),
    warnings: [...missingWarnings, ...excluded.warnings, ...deduped.warnings],
  };
}

function resolveRootDir(root: string, cwd: string): string {
  const rootDir = path.resolve(cwd, root);
  const stats = fs.statSync(rootDir, { throwIfNoEntry: false });
  if (stats?.isDirectory() !== true) {
    throw new UsageError(
      `--root "${root}" ${stats === undefined ? 'does not exist' : 'is not a directory'}`,
      `--root names the directory selection entries are relative to; it resolved to ${rootDir}`,
    );
  }
  return rootDir.replaceAll('\\', '/');
}

/** Missing entries are an error naming the first (and counting the rest), or warnings. */
async function handleMissing(missing: readonly MissingEntry[], allowMissing: boolean, context: HintContext): Promise<string[]> {
  const describe = ({ sourced, problem }: MissingEntry): string =>
    `${formatLocation(sourced.entry.location)}: "${sourced.entry.text}" ${problem}`;
  if (allowMissing) return missing.map((item) => `${describe(item)} (skipped: --allow-missing)`);
  const [first, ...others] = missing;
  if (first === undefined) return [];
  const more =
    others.length === 0
      ? ''
      : ` (and ${others.length} more: ${others
          .slice(0, 3)
          .map((item) => formatLocation(item.sourced.entry.location))
          .join(', ')}` + `${others.length > 3 ? ', …' : ''})`;
  throw new UsageError(`${describe(first)}${more}`, await describeMissingHint(first, context));
}

function emptySelectionError(file: string, selects: readonly SourcedEntry[], expandedCount: number): UsageError {
  const why =
    selects.length === 0
      ? 'it has no entries, only comments, blank lines or excludes'
      : expandedCount === 0
        ? 'none of its entries exists (--allow-missing skipped them all)'
        : `the "!" lines removed all ${expandedCount} tests it selected`;
  return new UsageError(
    `${file}: the selection is empty: ${why}`,
    'add test paths, globs or node ids, one per line (see docs/selection.md)',
  );
}

function toSelectedTest({ absolutePath, nodeSuffix, source }: ExpandedTest): SelectedTest {
  return { absolutePath, nodeSuffix, source };
}

function readSelectionFileFromDisk(absolutePath: string): ReadResult {
  try {
    return { bytes: fs.readFileSync(absolutePath) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing' };
    if (code === 'EISDIR') return { problem: 'directory' };
    throw new UsageError(`cannot read selection file ${absolutePath}: ${(error as Error).message}`, "check the file's permissions");
  }
}
