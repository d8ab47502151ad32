// leakhunt per-test probe for node:test, loaded with --import (NODE_OPTIONS) into each child
// that runs a test file: the jest probe's measuring code (../jest/setup.cjs), given
// node:test's root-level hooks, which run around every test of the file. Test ids are
// "file > name" (node 20's test context has the test's own name only).
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';

const probePath = process.env.LEAKHUNT_PROBE_FILE;
if (probePath && process.env.LEAKHUNT_NODE_TEST_CHILD === '1') {
  const { installProbe } = createRequire(import.meta.url)('../jest/setup.cjs');
  let currentTestName;
  installProbe(probePath, {
    beforeEach: (fn) =>
      beforeEach((t) => {
        currentTestName = t.name;
        fn();
      }),
    afterEach: (fn) => afterEach(() => fn()),
    beforeAll: (fn) => before(() => fn()),
    afterAll: (fn) => after(() => fn()),
    state: () => ({ testPath: path.resolve(process.argv[1] ?? ''), currentTestName }),
  });
}
