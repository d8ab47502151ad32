// Reproducible shuffles: the same seed gives the same order on every machine and Node
// version, so a plan (and a pollution it exposed) can be replayed with --seed.
// mulberry32 is tiny and good enough for ordering tests; Math.random cannot be seeded.

/** A PRNG returning floats in [0, 1); its whole state is one 32-bit integer. */
export function makeMulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates over a copy; the input is left untouched. */
export function shuffleWithSeed<T>(items: readonly T[], seed: number): T[] {
  const shuffled = [...items];
  const random = makeMulberry32(seed);
  for (let last = shuffled.length - 1; last > 0; last--) {
    const pick = Math.floor(random() * (last + 1));
    [shuffled[last], shuffled[pick]] = [shuffled[pick] as T, shuffled[last] as T];
  }
  return shuffled;
}
