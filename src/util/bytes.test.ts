import { describe, expect, it } from '@jest/globals';
import { formatBytes, parseBytes } from './bytes.js';
import { formatDuration, parseDuration } from './duration.js';

describe('parseBytes', () => {
  it('reads decimal and binary units the way people mean them', () => {
    expect(parseBytes('512MB')).toBe(512_000_000);
    expect(parseBytes('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('300mib')).toBe(300 * 1024 ** 2);
    expect(parseBytes('2g')).toBe(2_000_000_000);
    expect(parseBytes('1048576')).toBe(1048576);
  });
  it('rejects text that is not a size', () => {
    for (const bad of ['', 'MB', '12 parsecs', '-5MB', '1,5GB']) expect(parseBytes(bad)).toBeUndefined();
  });
  it('formats sizes with a unit a person can read', () => {
    expect(formatBytes(215 * 1024 ** 2)).toBe('215 MiB');
    expect(formatBytes(1.52 * 1024 ** 3)).toBe('1.52 GiB');
    expect(formatBytes(12.5 * 1024 ** 2)).toBe('12.5 MiB');
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, milliseconds and hours; a bare number is seconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('20')).toBe(20_000);
  });
  it('rejects text that is not a duration', () => {
    for (const bad of ['', 's', 'soon', '-1s', '5 fortnights']) expect(parseDuration(bad)).toBeUndefined();
  });
  it('formats durations compactly', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});
