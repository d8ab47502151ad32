// A jest test sequencer that runs test files in the order they were given on the command
// line (after --runTestsByPath). jest's default sequencer puts previously failed and slow
// files first, using its cache, so the order would change from one run to the next; leakhunt
// needs the order it chose, because pollution bisection depends on what ran before what.
'use strict';
const path = require('node:path');

class KeepOrderSequencer {
  // jest ≥ 29 passes { contexts, globalConfig }; older versions pass nothing.
  constructor(options) {
    const args = options?.globalConfig?.nonFlagArgs;
    const listed = Array.isArray(args) ? args : process.argv.slice(2);
    this.rank = new Map(listed.map((arg, index) => [path.resolve(String(arg)), index]));
  }

  sort(tests) {
    const rankOf = (test) => (this.rank.has(test.path) ? this.rank.get(test.path) : Number.MAX_SAFE_INTEGER);
    // Array.prototype.sort is stable: files not named on the command line keep jest's order.
    return [...tests].sort((a, b) => rankOf(a) - rankOf(b));
  }

  allFailedTests(tests) {
    return tests;
  }

  shard(tests) {
    return tests;
  }

  cacheResults() {}
}

module.exports = KeepOrderSequencer;
