// One allocation site whose memory grew while a test (or the contributors) ran, as a probe
// writes it. Its own file so that records.ts (reads probe files) and source-maps.ts (moves jest
// sites back to the user's lines) both use it without importing each other (no import cycle).

export interface GrowthSite {
  /** "path/to/file.py:12"; jest: the allocating function's first line. */
  readonly site: string;
  /** Bytes allocated there and still alive at teardown, minus those alive before setup. */
  readonly sizeBytes: number;
  /** Change in the number of live blocks allocated there; sampled: V8's samples (one per ~32 KiB allocated). */
  readonly count: number;
  /** jest: the function that allocated (V8 names functions, not lines). */
  readonly function?: string;
  /** jest: measured by V8's sampling heap profiler (sizes are estimates). */
  readonly sampled?: boolean;
  /** jest, as the probe wrote it: the function's column in the code V8 ran, to map the site through its file's source map. */
  readonly column?: number;
}
