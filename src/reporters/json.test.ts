import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { renderJson } from './json.js';

describe('renderJson', () => {
  const hunt = fixtureReport('hunt-pytest');

  it('round-trips to the same report', () => {
    expect(JSON.parse(renderJson(hunt))).toEqual(hunt);
  });

  it('orders keys the same way whatever order the report was built in', () => {
    const reversed = Object.fromEntries(Object.entries(hunt).reverse()) as unknown as typeof hunt;
    expect(renderJson(reversed)).toBe(renderJson(hunt));
    expect(renderJson(hunt).split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('keeps memory samples on one line each', () => {
    expect(renderJson(hunt)).toMatch(/^ +\{ "bytes": \d+, "tMs": 0 \},$/m);
  });
});
