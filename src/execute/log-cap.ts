// A run's stdout+stderr go straight into its log file (one descriptor, no pipe: see spawn.ts),
// so nothing stops a test printing gigabytes. The cap keeps the head and the tail of the log
// and cuts the middle, with one marker line saying how much was cut, when the run has ended
// (exact: nothing writes any more). While it runs, a log past 16 times the cap is cut too, so
// a run printing gigabytes cannot fill the disk; the log is opened O_APPEND, so the run's
// writes land after what is kept, but a write racing the truncation can be lost unnoticed
// (measured: ~1 MiB in a 40 MiB flood), so such a cut is counted as "at least".
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { formatBytes } from '../util/bytes.js';

/** Default cap of one run's log: enough for any traceback and a pytest summary, small next to 40 MB of noise. */
export const DEFAULT_LOG_LIMIT_BYTES = 4 * 1024 ** 2;

/** Opens (and empties) a run's log for appending; the fd is given to the run as stdout and stderr. */
export function openAppendLog(logPath: string): number {
  return openSync(logPath, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
}

/** While a run writes, its log is cut only past this many times the cap (see the file's comment). */
const RUNNING_CUT_FACTOR = 16;

export class LogCap {
  /** Bytes kept from the start: the runner's header, collection, the first tests. */
  private readonly headBytes: number;
  /** Bytes kept from the end: the traceback, the summary. */
  private readonly tailBytes: number;
  private cutBytes = 0;
  /** A cut happened while the run was writing: cutBytes is a lower bound. */
  private cutWhileRunning = false;
  /** Length of the marker the last cut wrote: not output, so never counted as cut output. */
  private markerBytes = 0;
  private readonly fd: number;

  constructor(
    logPath: string,
    private readonly limitBytes: number,
  ) {
    this.headBytes = Math.floor(limitBytes / 4);
    this.tailBytes = limitBytes - this.headBytes;
    this.fd = openSync(logPath, constants.O_RDWR | constants.O_APPEND);
  }

  /**
   * While the run goes on, cuts past RUNNING_CUT_FACTOR times the cap (the marker of an earlier
   * cut is then always inside the part cut next). `final`: the run has ended, cut what is over.
   */
  check(final = false): void {
    if (this.closed) return;
    try {
      this.cut(final);
    } catch {
      // A log that cannot be cut (disk full, removed) is still the run's log: never fail a run over it.
    }
  }

  private cut(final: boolean): void {
    const size = fstatSync(this.fd).size;
    const threshold = final ? this.limitBytes : this.limitBytes * RUNNING_CUT_FACTOR;
    if (size - this.markerBytes <= threshold) return;
    const tail = Buffer.alloc(this.tailBytes);
    const read = readSync(this.fd, tail, 0, this.tailBytes, size - this.tailBytes);
    // Bytes the run appends between this read and the truncation are lost with the middle:
    // counted from the size seen at the truncation, so the marker stays true.
    const sizeAtCut = fstatSync(this.fd).size;
    ftruncateSync(this.fd, this.headBytes);
    // Everything between the head and the tail just read goes, an earlier marker included.
    this.cutBytes += sizeAtCut - this.headBytes - read - this.markerBytes;
    if (!final) this.cutWhileRunning = true;
    const marker = `\n[leakhunt: ${this.cutWhileRunning ? 'at least ' : ''}${formatBytes(this.cutBytes)} of output cut here (--log-limit ${formatBytes(this.limitBytes)}: the first ${formatBytes(this.headBytes)} and the last ${formatBytes(this.tailBytes)} are kept)]\n`;
    // One write for both, right after the truncation: the run's next lines come after the tail.
    const markerBuffer = Buffer.from(marker);
    this.markerBytes = markerBuffer.length;
    writeSync(this.fd, Buffer.concat([markerBuffer, tail.subarray(0, read)]));
  }

  private closed = false;

  /** Cuts a last time and closes; returns the bytes cut in all (0: the log is whole), and whether that is a lower bound. */
  finish(): { cutBytes: number; atLeast: boolean } {
    try {
      this.check(true);
    } finally {
      this.dispose();
    }
    return { cutBytes: this.cutBytes, atLeast: this.cutWhileRunning };
  }

  /** Closes without a last cut (the run never started); safe to call twice. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
