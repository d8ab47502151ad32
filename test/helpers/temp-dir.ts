// A temporary directory that is removed when the test file that made it is done: every test
// removes what it created (test/hygiene/teardown.mjs fails the suite otherwise).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';

const made: string[] = [];
// Registered once per test file: jest gives every file its own copy of this module.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** mkdtemp in the system temp dir, e.g. tempDir('leakhunt-jobs-'); removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
