// Inline SVG charts, generated here without a chart library (docs/decisions.md, "Charts in the
// HTML report"): memory over time with the budget line and the kill point, and per-test
// memory bars. Pure: data in, SVG text out; colours come from the page's CSS classes, so the
// charts follow light and dark mode and print well.
import type { MemorySample } from '../../execute/types.js';
import type { PerTestMemory } from '../../report/model.js';
import { formatBytes } from '../../util/bytes.js';
import { formatDuration } from '../../util/duration.js';
import { escapeHtml } from './escape.js';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 64, right: 16, top: 14, bottom: 28 };
/** More points than pixels only adds bytes: keep the highest sample of each bucket (peaks survive). */
const MAX_POINTS = 600;

export interface MemoryChartInput {
  readonly series: readonly MemorySample[];
  readonly budgetBytes: number;
  readonly timeoutMs: number;
  /** Set when leakhunt (or the kernel) ended the run: marks the last sample. */
  readonly killedBy: string | undefined;
  /** The run's measured peak: a kill empties the tree, so the last sample is often near 0 B. */
  readonly peakBytes?: number;
  readonly label: string;
}

export function memoryChart(input: MemoryChartInput): string {
  const points = thin(input.series, MAX_POINTS);
  const last = points[points.length - 1];
  const maxMs = Math.max(1, last?.tMs ?? 0);
  const maxBytes = Math.max(input.budgetBytes, ...points.map((p) => p.bytes)) * 1.08;
  const x = (ms: number): number => PAD.left + (ms / maxMs) * (WIDTH - PAD.left - PAD.right);
  const y = (bytes: number): number => HEIGHT - PAD.bottom - (bytes / maxBytes) * (HEIGHT - PAD.top - PAD.bottom);
  const line = points.map((p) => `${x(p.tMs).toFixed(1)},${y(p.bytes).toFixed(1)}`).join(' ');
  const budgetY = y(input.budgetBytes).toFixed(1);
  const parts = [
    ...yTicks(maxBytes, y),
    ...xTicks(maxMs, x),
    `<line class="budget" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${budgetY}" y2="${budgetY}"/>`,
    `<text class="budget-label" x="${WIDTH - PAD.right - 4}" y="${(Number(budgetY) - 4).toFixed(1)}" text-anchor="end">budget ${escapeHtml(formatBytes(input.budgetBytes))}</text>`,
    points.length > 0
      ? `<polyline class="series" points="${line}"/>`
      : `<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no memory samples</text>`,
  ];
  if (input.killedBy !== undefined && last !== undefined) parts.push(killMark(input.killedBy, last, input.peakBytes ?? last.bytes, x, y));
  return svg('memory', input.label, points.length, HEIGHT, parts);
}

function killMark(
  killedBy: string,
  sample: MemorySample,
  peakBytes: number,
  x: (ms: number) => number,
  y: (bytes: number) => number,
): string {
  const cx = x(sample.tMs).toFixed(1);
  const cy = y(sample.bytes).toFixed(1);
  const text = `killed: ${killedBy} at ${formatDuration(sample.tMs)}, peak ${formatBytes(peakBytes)}`;
  // A kill empties the tree, so the last sample often sits on the axis: label above it then.
  const nearAxis = Number(cy) > HEIGHT - PAD.bottom - 24;
  const textY = nearAxis ? Number(cy) - 10 : Number(cy) + 16;
  return (
    `<g class="kill"><circle cx="${cx}" cy="${cy}" r="5"><title>${escapeHtml(text)}</title></circle>` +
    `<text x="${(Number(cx) - 8).toFixed(1)}" y="${textY.toFixed(1)}" text-anchor="end">${escapeHtml(text)}</text></g>`
  );
}

function yTicks(maxBytes: number, y: (bytes: number) => number): string[] {
  return [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const bytes = (maxBytes / 1.08) * fraction;
    const at = y(bytes).toFixed(1);
    return (
      `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${at}" y2="${at}"/>` +
      `<text class="tick" x="${PAD.left - 6}" y="${at}" dy="0.32em" text-anchor="end">${escapeHtml(formatBytes(bytes))}</text>`
    );
  });
}

function xTicks(maxMs: number, x: (ms: number) => number): string[] {
  // The end labels align inward so they are not cut at the chart's edges.
  const anchor = (fraction: number): string => (fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle');
  return [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const at = x(maxMs * fraction).toFixed(1);
    return `<text class="tick" x="${at}" y="${HEIGHT - 8}" text-anchor="${anchor(fraction)}">${escapeHtml(formatDuration(maxMs * fraction))}</text>`;
  });
}

/** Keeps at most `max` samples: the highest of each equal-width time bucket, plus the last. */
export function thin(series: readonly MemorySample[], max: number): MemorySample[] {
  if (series.length <= max) return [...series];
  const bucket = Math.ceil(series.length / (max - 1));
  const kept: MemorySample[] = [];
  for (let start = 0; start < series.length - 1; start += bucket) {
    const slice = series.slice(start, Math.min(start + bucket, series.length - 1));
    kept.push(slice.reduce((best, sample) => (sample.bytes > best.bytes ? sample : best)));
  }
  const last = series[series.length - 1];
  if (last !== undefined) kept.push(last);
  return kept;
}

const BAR_ROW = 22;
const LABEL_WIDTH = 260;
/** Room right of the longest bar for "+3.8 MiB · peak 32.0 MiB". */
const VALUE_WIDTH = 170;

/** One bar per test: memory it retained (may be negative), with its peak as text. */
export function perTestBars(records: readonly PerTestMemory[], label: string): string {
  const height = PAD.top + records.length * BAR_ROW + 8;
  const maxAbs = Math.max(1, ...records.map((r) => Math.abs(r.retainedBytes)));
  const hasNegative = records.some((r) => r.retainedBytes < 0);
  const plotLeft = LABEL_WIDTH + 8;
  const plotWidth = WIDTH - plotLeft - VALUE_WIDTH;
  const zero = hasNegative ? plotLeft + plotWidth / 2 : plotLeft;
  const scale = (hasNegative ? plotWidth / 2 : plotWidth) / maxAbs;
  const rows = records.map((record, i) => {
    const top = PAD.top + i * BAR_ROW;
    const length = Math.max(1, Math.abs(record.retainedBytes) * scale);
    const left = record.retainedBytes < 0 ? zero - length : zero;
    const name = record.test.length > 42 ? `…${record.test.slice(-41)}` : record.test;
    const value = `${record.retainedBytes < 0 ? '−' : '+'}${formatBytes(Math.abs(record.retainedBytes))} · peak ${formatBytes(record.peakBytes)}`;
    return (
      `<g class="bar-row"><title>${escapeHtml(`${record.test}: retained ${value}`)}</title>` +
      `<text class="tick" x="${LABEL_WIDTH}" y="${top + 11}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect class="bar${record.retainedBytes < 0 ? ' freed' : ''}" x="${left.toFixed(1)}" y="${top + 3}" width="${length.toFixed(1)}" height="${BAR_ROW - 8}"/>` +
      `<text class="tick" x="${(zero + (record.retainedBytes < 0 ? 6 : length + 6)).toFixed(1)}" y="${top + 11}">${escapeHtml(value)}</text></g>`
    );
  });
  return svg('per-test', label, records.length, height, rows);
}

function svg(kind: string, label: string, points: number, height: number, parts: readonly string[]): string {
  return (
    `<svg class="chart ${kind}" data-points="${points}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(label)}</title>${parts.join('')}</svg>`
  );
}
