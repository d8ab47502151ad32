// The victim: prints prices in the shop's locale, English unless the settings say otherwise.
// Its teardown resets the settings directory, so it passes again when run alone.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

const locale = () => (existsSync('.state/locale') ? readFileSync('.state/locale', 'utf8') : 'en');

describe('receipts', () => {
  afterAll(() => rmSync('.state', { recursive: true, force: true }));
  it('prints the total in English', () => {
    expect(`${locale() === 'en' ? 'Total' : 'Summe'}: 7`).toBe('Total: 7');
  });
});
