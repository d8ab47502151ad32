// The victim: prints prices in the shop's locale, English unless the settings say otherwise.
// Its teardown resets the settings directory, so it passes again when run alone.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';

const locale = () => (existsSync('.state/locale') ? readFileSync('.state/locale', 'utf8') : 'en');

describe('receipts', () => {
  after(() => rmSync('.state', { recursive: true, force: true }));
  it('prints the total in English', () => {
    assert.equal(`${locale() === 'en' ? 'Total' : 'Summe'}: 7`, 'Total: 7');
  });
});
