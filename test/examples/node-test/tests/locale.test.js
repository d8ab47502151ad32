// The polluter: switches the shop's locale by writing the shared settings directory, and
// never puts it back. Test files run in separate processes, so the pollution travels on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('locale', () => {
  it('switches the shop to German', () => {
    mkdirSync('.state', { recursive: true });
    writeFileSync('.state/locale', 'de');
  });
});
