// Node sizes V8's heap from the memory limit it runs under (libuv's constrained memory): in a
// batch's memory cgroup that is about half the budget (Node 20, measured here: a 259 MiB heap
// under a 381 MiB budget, 346 MiB under 668, 524 MiB under 1 GiB; 4 GiB without a limit). A
// suite that needs more heap than that (jest with ts-jest: ~300 MiB) aborts with "JavaScript
// heap out of memory" (SIGABRT) far below the budget: a memory death that reads as a native
// crash, and the tests of its batch end up named as an interaction. The budget is leakhunt's,
// for the whole tree, so V8 is given all of it and the budget is what stops the tree. Pure.

const MiB = 1024 * 1024;
const OWN_HEAP_LIMIT = /--max[-_]old[-_]space[-_]size\b/;

/**
 * The NODE_OPTIONS a run under a memory limit of `budgetBytes` gets, or undefined to leave it
 * as it is: when the user already chose a heap size (their --max-old-space-size is kept).
 */
export function nodeOptionsForBudget(userNodeOptions: string | undefined, budgetBytes: number): string | undefined {
  if (userNodeOptions !== undefined && OWN_HEAP_LIMIT.test(userNodeOptions)) return undefined;
  const heap = `--max-old-space-size=${Math.max(1, Math.floor(budgetBytes / MiB))}`;
  return userNodeOptions === undefined || userNodeOptions.trim() === '' ? heap : `${heap} ${userNodeOptions}`;
}
