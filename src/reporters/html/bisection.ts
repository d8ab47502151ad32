// The bisection of one batch as a tree: which subsets ran and what each did. The report keeps
// runs flat, in the order they finished; the tree is recovered from the test lists. A run's
// parent is the smallest earlier run of the same batch whose tests contain all of its tests
// (a confirmation has the same tests as its batch run). Halving and prefix bisection both only
// ever run subsets of what ran before, so this gives the search as it happened.
import type { RunRecord } from '../../report/model.js';

export interface RunNode {
  readonly run: RunRecord;
  readonly children: RunNode[];
}

export function bisectionTree(runs: readonly RunRecord[]): RunNode[] {
  const nodes: RunNode[] = [];
  const roots: RunNode[] = [];
  for (const run of runs) {
    const node: RunNode = { run, children: [] };
    const parent = smallestContaining(nodes, run);
    if (parent === undefined) roots.push(node);
    else parent.children.push(node);
    nodes.push(node);
  }
  return roots;
}

function smallestContaining(candidates: readonly RunNode[], run: RunRecord): RunNode | undefined {
  let best: RunNode | undefined;
  for (const candidate of candidates) {
    if (!contains(candidate.run.tests, run.tests)) continue;
    // Equal lists: only a confirmation hangs under its batch run; a repeat of a trial is a sibling.
    if (candidate.run.tests.length === run.tests.length && run.kind !== 'confirm') continue;
    if (best === undefined || candidate.run.tests.length < best.run.tests.length) best = candidate;
  }
  return best;
}

function contains(outer: readonly string[], inner: readonly string[]): boolean {
  const set = new Set(outer);
  return inner.every((test) => set.has(test));
}
