// jest globalSetup: the suite gets a temporary directory of its own (TMPDIR, inherited by every
// worker, test and process they start), so that teardown.mjs can tell exactly what this run
// left behind, even on a machine where other suites run at the same time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-suite-'));
  process.env.LEAKHUNT_SUITE_TMPDIR = dir;
  process.env.LEAKHUNT_SUITE_STARTED_MS = String(Date.now());
  process.env.TMPDIR = dir;
}
