// The hint under "…: "x" does not exist": where paths start from, and, when the entry
// does exist somewhere else close by (the current directory, a parent of the selection
// file's directory), the --root that would make it work. Runs once, on the error path.
import path from 'node:path';
import type { MissingEntry } from './expand.js';
import { globFiles, isGlobPattern, statPathKind } from './expand.js';

export interface HintContext {
  readonly cwd: string;
  /** Absolute --root, undefined when paths follow each selection file's directory. */
  readonly rootDir: string | undefined;
}

/** Parents of the base directory worth trying: a repository root is rarely further up. */
const MAX_PARENTS_TRIED = 6;

export async function describeMissingHint(missing: MissingEntry, context: HintContext): Promise<string> {
  const { entry, baseDir } = missing.sourced;
  if (/\s(?:-t|--testNamePattern)(?:\s|=)/.test(entry.text)) {
    return (
      'test-name filters (-t "name") are not supported in selection files: list the test file; ' +
      'pytest tests can be named by node id (path::test_name)'
    );
  }
  const foundIn = path.isAbsolute(entry.pathPart) ? undefined : await findWhereItExists(missing, context);
  if (foundIn !== undefined) {
    if (foundIn === context.cwd) return 'it exists relative to the current directory: pass --root .';
    return `it exists relative to ${foundIn}: pass --root ${path.relative(context.cwd, foundIn) || '.'}`;
  }
  const startsFrom = context.rootDir === undefined ? "the selection file's directory" : '--root';
  const change = context.rootDir === undefined ? 'use --root to change that' : 'change --root';
  return `paths are relative to ${startsFrom} (${baseDir}); ${change}, or --allow-missing to skip`;
}

async function findWhereItExists(missing: MissingEntry, context: HintContext): Promise<string | undefined> {
  const { entry, baseDir } = missing.sourced;
  const isGlob = isGlobPattern(entry.pathPart);
  const candidates = [context.cwd, ...parentsOf(baseDir).slice(0, MAX_PARENTS_TRIED)].filter((directory) => directory !== baseDir);
  for (const directory of candidates) {
    // Globs are tried in the current directory only: walking "/" for "**/*.py" is not a hint's job.
    if (isGlob && directory !== context.cwd) continue;
    const exists = isGlob
      ? (await globFiles(entry.pathPart, directory, true)).length > 0
      : statPathKind(path.resolve(directory, entry.pathPart)) !== undefined;
    if (exists) return directory;
  }
  return undefined;
}

function parentsOf(directory: string): string[] {
  const parents: string[] = [];
  for (let current = directory; path.dirname(current) !== current; ) {
    current = path.dirname(current);
    parents.push(current);
  }
  return parents;
}
