// Makes every test appear once, in the order of its first mention (order matters for
// pollution). Exact repeats (a file listed twice, overlapping globs) vanish silently. An
// entry already covered by a broader one (a node id inside a file selected whole, a file
// inside a selected directory, "::TestX::test_y" when "::TestX" is selected) is dropped with
// a warning: pytest would silently collapse the two inside one run, so batch sizes would
// lie, and in different batches the test would run twice.
// Pure. Cost: O(n) Map lookups, plus one walk per distinct directory when directories are selected.
import { type ExpandedTest, enclosingNodeSuffixes, makeAncestorLookup } from './expanded.js';
import { formatLocation } from './include.js';

export interface DedupeResult {
  readonly tests: ExpandedTest[];
  readonly warnings: string[];
}

/** path → node suffix ("" for the whole path) → first test with them. Two levels: no key strings to build. */
type FirstMentions = Map<string, Map<string, ExpandedTest>>;

export function dedupeTests(tests: readonly ExpandedTest[]): DedupeResult {
  const firstMentions: FirstMentions = new Map();
  const unique: ExpandedTest[] = [];
  for (const test of tests) {
    let bySuffix = firstMentions.get(test.absolutePath);
    if (bySuffix === undefined) firstMentions.set(test.absolutePath, (bySuffix = new Map()));
    if (bySuffix.has(test.nodeSuffix)) continue;
    bySuffix.set(test.nodeSuffix, test);
    unique.push(test);
  }
  const directoriesAbove = makeDirectoriesAboveLookup(unique);
  const kept: ExpandedTest[] = [];
  const warnings: string[] = [];
  for (const test of unique) {
    const cover = directoriesAbove(test.absolutePath)[0] ?? findNodeCover(test, firstMentions);
    if (cover === undefined) kept.push(test);
    else warnings.push(describeCovered(test, cover));
  }
  return { tests: kept, warnings };
}

/** Selected directories above a path, broadest first. */
function makeDirectoriesAboveLookup(tests: readonly ExpandedTest[]): (absolutePath: string) => readonly ExpandedTest[] {
  const directories = new Map<string, ExpandedTest>();
  for (const test of tests) if (test.isDirectory) directories.set(test.absolutePath, test);
  if (directories.size === 0) return () => []; // the usual case: no walk at all
  return makeAncestorLookup((directory) => {
    const found = directories.get(directory);
    return found === undefined ? [] : [found];
  });
}

/** The whole file, or the broadest enclosing node id, already selected for this node id. */
function findNodeCover(test: ExpandedTest, firstMentions: FirstMentions): ExpandedTest | undefined {
  if (test.nodeSuffix === '') return undefined;
  const bySuffix = firstMentions.get(test.absolutePath);
  if (bySuffix === undefined || bySuffix.size === 1) return undefined; // only itself
  const whole = bySuffix.get('');
  if (whole !== undefined) return whole;
  for (const scope of enclosingNodeSuffixes(test.nodeSuffix)) {
    const candidate = bySuffix.get(scope);
    if (candidate !== undefined) return candidate;
  }
  return undefined;
}

function describeCovered(test: ExpandedTest, cover: ExpandedTest): string {
  return (
    `${formatLocation(test.source)}: "${test.label}" is already selected by "${cover.label}" ` +
    `(${formatLocation(cover.source)}); dropped so that it does not run twice`
  );
}
