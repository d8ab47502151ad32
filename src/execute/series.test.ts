import { describe, expect, it } from '@jest/globals';
import { halveSeries, SeriesThinner } from './series.js';

const ramp = (count: number) => Array.from({ length: count }, (_, i) => ({ tMs: i * 50, bytes: i }));

describe('SeriesThinner', () => {
  it('keeps every sample while the series is short', () => {
    const thinner = new SeriesThinner(10);
    for (const sample of ramp(10)) thinner.add(sample);
    expect(thinner.samples()).toEqual(ramp(10));
  });

  it('never holds more than the maximum number of points, however long the run', () => {
    const thinner = new SeriesThinner(2000);
    for (const sample of ramp(100_000)) thinner.add(sample);
    const samples = thinner.samples();
    expect(samples.length).toBeLessThanOrEqual(2001);
    expect(samples.length).toBeGreaterThan(700);
  });

  it('keeps a one-sample spike however much it thins', () => {
    const thinner = new SeriesThinner(100);
    for (let i = 0; i < 50_000; i += 1) thinner.add({ tMs: i, bytes: i === 31_337 ? 9e9 : 1 });
    expect(thinner.samples()).toContainEqual({ tMs: 31_337, bytes: 9e9 });
  });

  it('keeps the points in time order and spread over the whole run', () => {
    const thinner = new SeriesThinner(100);
    for (const sample of ramp(10_000)) thinner.add(sample);
    const times = thinner.samples().map((sample) => sample.tMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBeLessThan(10_000 * 50 * 0.05);
    expect(times.at(-1)).toBeGreaterThan(10_000 * 50 * 0.95);
  });
});

describe('halveSeries', () => {
  it('merges neighbours keeping the higher one, and keeps an odd last sample', () => {
    const series = [
      { tMs: 0, bytes: 5 },
      { tMs: 1, bytes: 7 },
      { tMs: 2, bytes: 9 },
      { tMs: 3, bytes: 1 },
      { tMs: 4, bytes: 3 },
    ];
    expect(halveSeries(series)).toEqual([
      { tMs: 1, bytes: 7 },
      { tMs: 2, bytes: 9 },
      { tMs: 4, bytes: 3 },
    ]);
  });
});
