// The selection's working shape between expansion and the final Selection: a SelectedTest
// plus what messages and the dedupe rules need to know about it.
import type { SelectedTest } from './types.js';

export interface ExpandedTest extends SelectedTest {
  /** The entry named a directory: the runner gets it whole, leakhunt cannot split it. */
  readonly isDirectory: boolean;
  /** How to name it in a message: the entry as written, or the glob's match relative to its base. */
  readonly label: string;
}

/** Identity for dedupe: the same file and the same node id. */
export function getTestKey(absolutePath: string, nodeSuffix: string): string {
  return `${absolutePath}\u0000${nodeSuffix}`;
}

/**
 * Looks up `findAt` on every directory above a path and joins what it finds, root first.
 * Memoized by directory: 100,000 tests in a few hundred directories cost a few hundred walks.
 */
export function makeAncestorLookup<T>(findAt: (directory: string) => readonly T[]): (absolutePath: string) => readonly T[] {
  const memo = new Map<string, readonly T[]>();
  const fromDirectory = (directory: string): readonly T[] => {
    const known = memo.get(directory);
    if (known !== undefined) return known;
    const parent = parentOf(directory);
    const above = parent === undefined ? [] : fromDirectory(parent);
    const here = findAt(directory);
    const found = here.length === 0 ? above : [...above, ...here];
    memo.set(directory, found);
    return found;
  };
  return (absolutePath) => {
    const parent = parentOf(absolutePath);
    return parent === undefined ? [] : fromDirectory(parent);
  };
}

function parentOf(absolutePath: string): string | undefined {
  const slashAt = absolutePath.lastIndexOf('/');
  if (slashAt === -1 || absolutePath === '/') return undefined;
  return slashAt === 0 ? '/' : absolutePath.slice(0, slashAt);
}

/** "/a/b/c" → "/a/b", "/a", "/" (the path itself excluded). */
export function* ancestorsOf(absolutePath: string): Generator<string> {
  let current = absolutePath;
  for (;;) {
    const slashAt = current.lastIndexOf('/');
    if (slashAt <= 0) {
      if (current !== '/' && absolutePath.startsWith('/')) yield '/';
      return;
    }
    current = current.slice(0, slashAt);
    yield current;
  }
}

/**
 * Node-id scopes that contain this one: "::TestX::test_y[1]" → "::TestX", "::TestX::test_y".
 * A parametrized test is inside its function; a method inside its class.
 */
export function enclosingNodeSuffixes(nodeSuffix: string): string[] {
  const scopes: string[] = [];
  const bracketAt = nodeSuffix.indexOf('[');
  const head = bracketAt === -1 ? nodeSuffix : nodeSuffix.slice(0, bracketAt);
  for (let at = head.indexOf('::', 2); at !== -1; at = head.indexOf('::', at + 2)) scopes.push(head.slice(0, at));
  if (bracketAt !== -1) scopes.push(head);
  return scopes;
}

/** True when `inner` is strictly inside `outer` as node ids of one file ("" is the whole file). */
export function isNodeSuffixInside(inner: string, outer: string): boolean {
  if (inner === outer) return false;
  return outer === '' || inner.startsWith(`${outer}::`) || inner.startsWith(`${outer}[`);
}
