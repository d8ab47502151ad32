const { execFileSync } = require('node:child_process');

// The hang: waits for a "remote sync" subprocess with no timeout. execFileSync blocks the
// event loop, so jest's own testTimeout never gets a chance to fire.
test('syncs the catalogue with the warehouse', () => {
  execFileSync('sleep', ['1000']);
});
