// Applies `!` lines as a filter over everything selected, wherever the `!` line stands and
// whichever file (top or included) it is in: the selection reads as "these tests, minus those".
// An exclude removes a selected file, every node id inside it, and everything under a
// selected directory it names. It cannot carve a part out of something the runner receives
// whole (a test out of a selected directory, a node id out of a whole-file entry): that is
// an error, because running the test anyway would contradict what the file says.
// Pure: the rules arrive resolved (expand.ts), tests arrive expanded.
import { UsageError } from '../errors.js';
import type { ExcludeRule } from './expand.js';
import { ancestorsOf, type ExpandedTest, enclosingNodeSuffixes, getTestKey, isNodeSuffixInside, makeAncestorLookup } from './expanded.js';
import { formatLocation } from './include.js';

export interface ExcludeResult {
  readonly tests: ExpandedTest[];
  /** One per `!` line that removed nothing: "file:line: …". */
  readonly warnings: string[];
}

export function applyExcludes(tests: readonly ExpandedTest[], rules: readonly ExcludeRule[]): ExcludeResult {
  if (rules.length === 0) return { tests: [...tests], warnings: [] };
  const index = indexRules(rules);
  const rulesAbove = makeAncestorLookup((directory) => index.byPath.get(directory) ?? []);
  const usedRules = new Set<ExcludeRule>();
  const kept = tests.filter((test) => {
    const matching = [...rulesAbove(test.absolutePath), ...findMatchingRules(test, index)];
    for (const rule of matching) usedRules.add(rule);
    return matching.length === 0;
  });
  validateNoCarveOut(kept, rules);
  const warnings = rules
    .filter((rule) => !usedRules.has(rule))
    .map(
      (rule) =>
        `${formatLocation(rule.sourced.entry.location)}: "!${rule.sourced.entry.text}" removes nothing: it matches no selected test`,
    );
  return { tests: kept, warnings };
}

interface RuleIndex {
  /** Path → rules removing that path and everything under it. */
  readonly byPath: Map<string, ExcludeRule[]>;
  /** File → rules removing node ids inside it. */
  readonly byNodeFile: Map<string, ExcludeRule[]>;
}

function indexRules(rules: readonly ExcludeRule[]): RuleIndex {
  const byPath = new Map<string, ExcludeRule[]>();
  const byNodeFile = new Map<string, ExcludeRule[]>();
  for (const rule of rules) {
    const target = rule.nodeSuffix === '' ? byPath : byNodeFile;
    for (const excludedPath of rule.paths) appendTo(target, excludedPath, rule);
  }
  return { byPath, byNodeFile };
}

/** Rules naming this very path, or a node id scope containing it (directories above: see rulesAbove). */
function findMatchingRules(test: ExpandedTest, index: RuleIndex): ExcludeRule[] {
  const matching: ExcludeRule[] = [...(index.byPath.get(test.absolutePath) ?? [])];
  for (const rule of index.byNodeFile.get(test.absolutePath) ?? []) {
    if (test.nodeSuffix === rule.nodeSuffix || isNodeSuffixInside(test.nodeSuffix, rule.nodeSuffix)) matching.push(rule);
  }
  return matching;
}

/** Throws when an exclude names something strictly inside a unit the runner gets whole. */
function validateNoCarveOut(kept: readonly ExpandedTest[], rules: readonly ExcludeRule[]): void {
  const keptByKey = new Map(kept.map((test) => [getTestKey(test.absolutePath, test.nodeSuffix), test]));
  const findKept = (absolutePath: string, nodeSuffix: string): ExpandedTest | undefined =>
    keptByKey.get(getTestKey(absolutePath, nodeSuffix));
  for (const rule of rules) {
    for (const excludedPath of rule.paths) {
      const enclosing = rule.nodeSuffix === '' ? [] : ['', ...enclosingNodeSuffixes(rule.nodeSuffix)];
      const wholeFile = enclosing.map((suffix) => findKept(excludedPath, suffix)).find((test) => test !== undefined);
      const directory = [...ancestorsOf(excludedPath)].map((dir) => findKept(dir, '')).find((test) => test?.isDirectory);
      const container = wholeFile ?? directory;
      if (container !== undefined) throw carveOutError(rule, excludedPath, container);
    }
  }
}

function carveOutError(rule: ExcludeRule, excludedPath: string, container: ExpandedTest): UsageError {
  const { entry } = rule.sourced;
  const unit = container.isDirectory ? 'directory' : container.nodeSuffix === '' ? 'file' : 'node id';
  const what = rule.paths.length === 1 ? 'would remove part of' : `matches ${excludedPath}, inside`;
  return new UsageError(
    `${formatLocation(entry.location)}: "!${entry.text}" ${what} "${container.label}" ` +
      `(${formatLocation(container.source)}), but that ${unit} goes to the runner whole`,
    container.isDirectory
      ? `select the directory's tests with a glob instead (e.g. ${container.label}/**/test_*.py), then exclude`
      : 'select the node ids you want instead of the whole file, or remove the exclude',
  );
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
