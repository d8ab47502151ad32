// Keeps leakhunt-report.json current while a long hunt runs, so a crash or kill -9 still
// leaves what was learned on disk. A short hunt writes its report once, at the end: the
// journal (journal.jsonl) already holds every finished run for --resume, Ctrl-C and errors
// write the partial report on their way out, and a hunt should cost what its runs cost.
// A second Ctrl-C exits at once: writeAllNowSync() then puts every finished run into the JSON.

import { renameSync, writeFileSync } from 'node:fs';
import { ExitCode } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ReportBuilder } from './build.js';
import type { Report, ReportStatus } from './model.js';

const PARTIAL_WRITE_INTERVAL_MS = 30_000;

/** Writers of hunts still running in this process, for writeAllNowSync(). */
const unfinished = new Set<PartialReportWriter>();

/** Synchronous, for a second Ctrl-C: every running hunt's partial report, as it is now. Never throws. */
export function writeAllNowSync(): void {
  for (const writer of unfinished) writer.writeNowSync();
}

export class PartialReportWriter {
  private lastWriteMs: number;
  constructor(
    private readonly path: string,
    private readonly builder: ReportBuilder,
    private readonly now: () => Date,
  ) {
    this.lastWriteMs = now().getTime();
    unfinished.add(this);
  }

  /** At most every 30 s, the first 30 s into the hunt: the report grows with every run and rewriting it is not free. */
  async maybeWrite(): Promise<void> {
    if (this.now().getTime() - this.lastWriteMs >= PARTIAL_WRITE_INTERVAL_MS) await this.write('interrupted', ExitCode.Interrupted);
  }

  /** A partial report says 'interrupted' until the final one replaces it: if leakhunt dies now, that is the truth. */
  async write(status: ReportStatus, exitCode: number): Promise<void> {
    await this.writeReport(this.builder.build(status, exitCode, this.now()));
  }

  async writeReport(report: Report): Promise<void> {
    this.lastWriteMs = this.now().getTime();
    await writeFileAtomic(this.path, `${JSON.stringify(report, null, 2)}\n`);
  }

  /** The hunt's last report: no partial report may replace it afterwards. */
  async writeFinal(report: Report): Promise<void> {
    unfinished.delete(this);
    await this.writeReport(report);
  }

  writeNowSync(): void {
    try {
      const temporary = `${this.path}.${process.pid}-sync.tmp`;
      writeFileSync(temporary, `${JSON.stringify(this.builder.build('interrupted', ExitCode.Interrupted, this.now()), null, 2)}\n`);
      renameSync(temporary, this.path);
    } catch {
      // Exiting anyway (disk full, directory gone): the last periodic write stays.
    }
  }
}
