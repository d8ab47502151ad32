// Durations cross the CLI as text ("90s", "2m", "500ms", "1h") and live elsewhere as ms.
// Hand-written: `ms` reads a bare number as milliseconds (here seconds) and accepts "-1s", "2 days",
// "1y"; `pretty-ms` prints "2m 5s", not this format. Wrapping them would be longer than this file.

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Parses "90s", "2m", "1.5s", "500ms", "1h"; a bare number means seconds. Undefined if not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS_MS[(match[2] ?? '').toLowerCase() || 's'];
  if (unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** Formats ms for people: "850 ms", "12.3 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
