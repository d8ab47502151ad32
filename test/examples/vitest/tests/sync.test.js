// The hang: waits for a "remote sync" subprocess with no timeout. execFileSync blocks the
// event loop, so vitest's own testTimeout never gets a chance to fire.
import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

describe('sync', () => {
  it('syncs the catalogue with the warehouse', () => {
    execFileSync('sleep', ['1000']);
  });
});
