// Sizes cross the CLI as text ("512MB", "1.5GiB") and live everywhere else as bytes.
// Decimal units are powers of 1000 and binary ones powers of 1024, as people mean them.
// Hand-written: `bytes` reads MB as 1024², `bytes-iec` (last release 2021) and `filesize` parse or
// format but not with these units and this rounding; matching them would change what flags accept.

const UNITS: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  t: 1000 ** 4,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Parses "300MB", "1.5GiB", "2g", "1048576". Returns undefined when the text is not a size. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** Formats bytes for people: "215 MiB", "1.52 GiB", "812 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(bytes >= 100 * MIB ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}
