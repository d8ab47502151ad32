// The report builder a hunt uses: the shared ReportBuilder, plus what scale adds — runs and
// findings in a deterministic order (batch, then start: the same whether batches and their
// bisections ran one by one, side by side with --jobs, or in shards merged later) and, for
// `--shard i/N`, which shard this is.
import { mergePolluterFindings } from '../bisect/merge.js';
import { ReportBuilder, type ReportHeader } from './build.js';
import { sortRuns } from './merge.js';
import type { PlanCostEstimate, Report, ReportStatus, ShardInfo } from './model.js';

export class HuntReportBuilder extends ReportBuilder {
  constructor(
    header: ReportHeader,
    private readonly shard: ShardInfo | undefined,
    private readonly planFacts: { survey?: boolean; estimate?: PlanCostEstimate } = {},
  ) {
    super(header);
  }

  override build(status: ReportStatus, exitCode: number, finishedAt: Date): Report {
    const report = super.build(status, exitCode, finishedAt);
    // A stable sort: findings of one batch keep the order its hunt named them in. One polluter
    // hunted in two batches (victims in both) is one finding listing every victim.
    const findings = mergePolluterFindings(
      [...report.findings].sort((a, b) => a.batchIndex - b.batchIndex),
      { acrossBatches: true },
    );
    const plan = {
      ...report.plan,
      ...(this.planFacts.survey === true && { survey: true }),
      ...(this.planFacts.estimate !== undefined && { estimate: this.planFacts.estimate }),
    };
    return { ...report, plan, runs: sortRuns(report.runs), findings, ...(this.shard !== undefined && { shard: this.shard }) };
  }
}
