import { appendFileSync, closeSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LogCap, openAppendLog } from './log-cap.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-log-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

/** Numbered 100-byte lines, as a run would print them. */
function lines(from: number, to: number): string {
  let text = '';
  for (let n = from; n < to; n++) text += `${`line ${n}`.padEnd(99, '.')}\n`;
  return text;
}

function capped(limit: number): { path: string; cap: LogCap; write: (text: string) => void; close: () => void } {
  const path = join(dir, `run${(count += 1)}.log`);
  const fd = openAppendLog(path);
  return { path, cap: new LogCap(path, limit), write: (text) => appendFileSync(fd, text), close: () => closeSync(fd) };
}

describe('LogCap', () => {
  it('leaves a log within the limit whole', () => {
    const log = capped(10_000);
    log.write(lines(0, 100));
    log.cap.check();
    expect(log.cap.finish()).toEqual({ cutBytes: 0, atLeast: false });
    log.close();
    expect(readFileSync(log.path, 'utf8')).toBe(lines(0, 100));
  });

  it('keeps the head and the tail around one marker that says exactly how much was cut when the run has ended', () => {
    const log = capped(10_000); // head 2500 B (25 lines), tail 7500 B (75 lines)
    for (let chunk = 0; chunk < 10; chunk++) {
      log.write(lines(chunk * 100, chunk * 100 + 100));
      log.cap.check();
    }
    const { cutBytes: cut, atLeast } = log.cap.finish();
    log.close();
    expect(atLeast).toBe(false);
    const text = readFileSync(log.path, 'utf8');
    const [head, rest] = text.split(/\n\[leakhunt: [^\]]*\]\n/);
    expect(head).toBe(lines(0, 25));
    expect(rest).toBe(lines(925, 1000));
    expect(cut).toBe(900 * 100);
    expect(text).toMatch(/\[leakhunt: 88 KiB of output cut here \(--log-limit 10 KiB: the first 2 KiB and the last 7 KiB are kept\)\]/);
    expect(text.match(/\[leakhunt:/g)).toHaveLength(1);
    expect(statSync(log.path).size).toBeLessThan(10_000 + 200);
  });

  it('cuts a flood while the run writes (past 16 limits), says "at least", and the run\'s next lines follow the tail', () => {
    const log = capped(10_000);
    log.write(lines(0, 1000));
    log.cap.check(); // 100 000 B: under 16 limits, left for the end
    expect(statSync(log.path).size).toBe(100_000);
    log.write(lines(1000, 2000));
    log.cap.check(); // 200 000 B: cut now
    expect(statSync(log.path).size).toBeLessThan(10_000 + 200);
    log.write(lines(2000, 2010));
    expect(log.cap.finish()).toEqual({ cutBytes: 2010 * 100 - 10_000, atLeast: true });
    log.close();
    const text = readFileSync(log.path, 'utf8');
    expect(text.startsWith(lines(0, 25))).toBe(true);
    expect(text.endsWith(lines(1935, 2010))).toBe(true);
    expect(text).toMatch(/\[leakhunt: at least 187 KiB of output cut here/);
    expect(text.match(/\[leakhunt:/g)).toHaveLength(1);
  });
});
