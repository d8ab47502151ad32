// The hog: "exports the whole order history" by holding 400 MB of Buffers at once.
// Buffer.alloc(size, 1) writes every byte, so the pages really count in RSS.
import { describe, expect, it } from 'vitest';

const CHUNK_BYTES = 50 * 1024 * 1024;
const CHUNKS = 8;

describe('export', () => {
  it('exports the full order history', () => {
    const history = [];
    for (let i = 0; i < CHUNKS; i += 1) history.push(Buffer.alloc(CHUNK_BYTES, 1));
    expect(history.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(CHUNKS * CHUNK_BYTES);
  });
});
