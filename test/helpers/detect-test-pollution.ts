// What asottile/detect-test-pollution would spend on the same suite, counted by its algorithm
// (detect_test_pollution.py, `_bisect`), not run: it is not installable here (no PyPI). For one
// victim it runs: the victim alone (1), every other test then the victim (1), then halves the
// other tests, one run per step, keeping the half that still fails (⌈log2(n−1)⌉ steps or so),
// then a double check (1); discovering the ids with --collect-only is one more unless given
// --testids-file. It is told the victim and finds one polluter per invocation.
export function detectTestPollutionRuns(
  testIds: readonly string[],
  victim: string,
  polluter: string,
  options: { discover: boolean },
): number {
  let runs = (options.discover ? 1 : 0) + 2;
  let ids = testIds.filter((id) => id !== victim);
  if (!ids.includes(polluter)) throw new Error(`${polluter} is not among the test ids`);
  while (ids.length !== 1) {
    runs += 1;
    const pivot = Math.floor(ids.length / 2);
    const part1 = ids.slice(0, pivot);
    ids = part1.includes(polluter) ? part1 : ids.slice(pivot);
  }
  return runs + 1;
}
