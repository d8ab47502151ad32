// Keeps leakhunt-report.json current while a hunt runs, so Ctrl-C, a crash or kill -9 still
// leave what was learned on disk.
import { ExitCode } from '../errors.js';
import type { ReportBuilder } from '../report/build.js';
import type { Report, ReportStatus } from '../report/model.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const PARTIAL_WRITE_INTERVAL_MS = 1000;

export class PartialReportWriter {
  private lastWriteMs = 0;
  constructor(private readonly path: string, private readonly builder: ReportBuilder, private readonly now: () => Date) {}

  /** At most once a second: the report grows with every run and rewriting it is not free. */
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
}
