// Two spellings of one test. The user's frame: the file relative to where the selection's
// paths are rooted (the selection file's directory, or --root), then the runner's `::`/` > `
// part: what the selection said, and what every report, progress line and annotation shows.
// The runner's frame: the file relative to the project directory the runner runs in, which
// is what the runner takes and what its results, probe records and stacks say. Ids cross
// between the two only where leakhunt talks to the runner (pipeline/run-tests.ts, report/repro.ts).
// Pure: paths only, no disk.
import path from 'node:path';
import type { TestId } from '../plan/types.js';

export interface IdFrame {
  /** Absolute directory the selection's paths are rooted at. */
  readonly userRoot: string;
  /** Absolute directory the runner runs in. */
  readonly projectDir: string;
  /** True when both frames are one (the selection sits where the runner runs). */
  readonly same: boolean;
  toRunner(test: TestId): TestId;
  toUser(test: TestId): TestId;
}

const SEPARATORS = ['::', ' > ']; // pytest node ids; jest per-test names (src/probe/jest/setup.cjs)

/** "tests/a.py::T::t" → ["tests/a.py", "::T::t"]; "a.test.js > adds" → ["a.test.js", " > adds"]. */
export function splitFilePart(test: TestId): [string, string] {
  const at = Math.min(...SEPARATORS.map((separator) => test.indexOf(separator)).filter((index) => index >= 0), test.length);
  return [test.slice(0, at), test.slice(at)];
}

/**
 * The runner's spelling of `absolutePath` from `base` (its project directory): relative
 * inside it ("." for base itself), absolute outside it, as runners take it.
 */
export function pathFrom(base: string, absolutePath: string): string {
  const relative = path.posix.relative(posix(base), posix(absolutePath));
  if (relative === '') return '.';
  return relative === '..' || relative.startsWith('../') || path.posix.isAbsolute(relative) ? absolutePath : relative;
}

/**
 * The user's spelling of `absolutePath` from `base` (the selection's root): relative, with
 * "../" where the selection reached outside its directory (`../tests/test_x.py` is what it
 * says); absolute only when the two share nothing but the filesystem root.
 */
export function userPathFrom(base: string, absolutePath: string): string {
  const relative = path.posix.relative(posix(base), posix(absolutePath));
  if (relative === '') return '.';
  const shared = posix(base).split('/').filter(Boolean)[0] === posix(absolutePath).split('/').filter(Boolean)[0];
  return relative.startsWith('..') && !shared ? posix(absolutePath) : relative;
}

/** A selected test's id in the user's frame. */
export function userTestId(test: { readonly absolutePath: string; readonly nodeSuffix: string }, userRoot: string): TestId {
  return `${userPathFrom(userRoot, test.absolutePath)}${test.nodeSuffix}`;
}

/**
 * An allocation site ("shop/metrics.py:20", as the pytest probe spells it from the project
 * directory) in the user's frame, like every test id. The `:line` is split off first, since
 * splitFilePart knows only `::` and ` > `. Paths outside the project (the probe writes them
 * absolute: stdlib, site-packages) and pseudo-files ("<string>") stay as they are.
 */
export function siteToUser(frame: IdFrame, site: string): string {
  if (frame.same) return site;
  const match = /^(.*):(\d+)$/.exec(site);
  const file = match?.[1] ?? site;
  if (file === '' || path.posix.isAbsolute(posix(file)) || file.startsWith('<')) return site;
  return `${frame.toUser(file)}${match === null ? '' : `:${match[2]}`}`;
}

function posix(p: string): string {
  return p.replaceAll('\\', '/');
}

export function createIdFrame(userRoot: string, projectDir: string): IdFrame {
  const same = path.resolve(userRoot) === path.resolve(projectDir);
  const toRunner = translator(userRoot, projectDir, pathFrom);
  const toUser = translator(projectDir, userRoot, userPathFrom);
  return { userRoot, projectDir, same, toRunner: same ? (test) => test : toRunner, toUser: same ? (test) => test : toUser };
}

// Files repeat (100,000 node ids name a few hundred files): each file part is converted once.
function translator(from: string, to: string, spell: (base: string, absolutePath: string) => string): (test: TestId) => TestId {
  const files = new Map<string, string>();
  return (test) => {
    const [file, rest] = splitFilePart(test);
    let converted = files.get(file);
    if (converted === undefined) {
      converted = spell(to, path.posix.isAbsolute(file) ? file : path.posix.join(posix(from), file));
      files.set(file, converted);
    }
    return `${converted}${rest}`;
  };
}
