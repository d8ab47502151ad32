// leakhunt per-test probe for vitest: the jest probe's measuring code (../jest/setup.cjs),
// given vitest's hooks. src/runners/probes/vitest-run.mjs adds this file after the project's
// own setupFiles when LEAKHUNT_PROBE_FILE is set, and names the project's vitest in
// LEAKHUNT_VITEST_ENTRY: importing "vitest" from here would resolve from leakhunt's folder,
// not the project's. Test ids: "file > describe > name" (vitest's currentTestName).
import { createRequire } from 'node:module';

const probePath = process.env.LEAKHUNT_PROBE_FILE;
const entry = process.env.LEAKHUNT_VITEST_ENTRY;
if (probePath && entry) {
  const { afterAll, afterEach, beforeAll, beforeEach, expect } = await import(entry);
  const { installProbe } = createRequire(import.meta.url)('../jest/setup.cjs');
  installProbe(probePath, { beforeAll, beforeEach, afterEach, afterAll, state: () => expect.getState() });
}
