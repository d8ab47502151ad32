// Keeps a run's memory-over-time series small enough for a report while never losing its
// peak. Samples are grouped in buckets of `stride` consecutive samples, each bucket keeping
// its highest sample; when more than `maxPoints` buckets exist, neighbours merge pairwise
// and the stride doubles, so a 2-hour run and a 2-second run both end with ≤ maxPoints
// points spread evenly over time.
import type { MemorySample } from './types.js';

export const DEFAULT_MAX_SERIES_POINTS = 2000;

export class SeriesThinner {
  private kept: MemorySample[] = [];
  private stride = 1;
  private bucket: MemorySample | undefined;
  private bucketCount = 0;

  constructor(private readonly maxPoints: number = DEFAULT_MAX_SERIES_POINTS) {}

  add(sample: MemorySample): void {
    const bucket = higherOf(this.bucket, sample) ?? sample;
    this.bucket = bucket;
    this.bucketCount += 1;
    if (this.bucketCount < this.stride) return;
    this.kept.push(bucket);
    this.bucket = undefined;
    this.bucketCount = 0;
    if (this.kept.length > this.maxPoints) {
      this.kept = halveSeries(this.kept);
      this.stride *= 2;
    }
  }

  /** The thinned series, including an unfinished last bucket. */
  samples(): MemorySample[] {
    return this.bucket === undefined ? [...this.kept] : [...this.kept, this.bucket];
  }
}

/** Merges neighbours pairwise, keeping the higher of each pair (the earlier one on ties). */
export function halveSeries(samples: readonly MemorySample[]): MemorySample[] {
  const halved: MemorySample[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const pair = higherOf(samples[i], samples[i + 1]);
    if (pair !== undefined) halved.push(pair);
  }
  return halved;
}

function higherOf(a: MemorySample | undefined, b: MemorySample | undefined): MemorySample | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.bytes > a.bytes ? b : a;
}
