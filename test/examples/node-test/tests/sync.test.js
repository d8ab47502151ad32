// The hang: waits for a "remote sync" subprocess with no timeout. execFileSync blocks the
// event loop, so node:test (no default timeout) never gets a chance to fire.
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('sync', () => {
  it('syncs the catalogue with the warehouse', () => {
    execFileSync('sleep', ['1000']);
  });
});
