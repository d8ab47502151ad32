// The hog: "exports the whole order history" by holding 400 MB of Buffers at once.
// Buffer.alloc(size, 1) writes every byte, so the pages really count in RSS.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const CHUNK_BYTES = 50 * 1024 * 1024;
const CHUNKS = 8;

describe('export', () => {
  it('exports the full order history', () => {
    const history = [];
    for (let i = 0; i < CHUNKS; i += 1) history.push(Buffer.alloc(CHUNK_BYTES, 1));
    assert.equal(
      history.reduce((sum, chunk) => sum + chunk.length, 0),
      CHUNKS * CHUNK_BYTES,
    );
  });
});
