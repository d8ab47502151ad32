// `leakhunt plan <selection>`: what `run` would execute, without running anything.
import { ExitCode } from '../../errors.js';
import { fitArgumentLimit } from '../../plan/arg-limit.js';
import { planBatches } from '../../plan/batches.js';
import { formatPlanText, planToJson } from '../../plan/format.js';
import { surveyPlanOptions, surveyShardNotice } from '../../plan/survey.js';
import { resolveTests } from '../../runners/resolve.js';
import { loadSelection } from '../../selection/load.js';
import { normalizePlanFlags } from '../normalize.js';
import type { FlagValues, planFlags } from '../options.js';
import { formatShards } from './plan-shards.js';

export type PlanFlags = FlagValues<typeof planFlags> & { readonly selection: string };

export async function planCommand(flags: PlanFlags): Promise<ExitCode> {
  const selection = await loadSelection(flags.selection, { root: flags.root, allowMissing: flags.allowMissing });
  for (const warning of selection.warnings) process.stderr.write(`warning: ${warning}\n`);
  const resolved = await resolveTests(selection, { runner: flags.runner, cmd: flags.cmd, projectDir: flags.project });
  const planOptions = normalizePlanFlags(flags, Math.random);
  const fitted = fitArgumentLimit(
    planBatches(resolved.tests, surveyPlanOptions(planOptions, resolved.tests.length, { shardCount: flags.shards })),
  );
  const shardNotice = planOptions.survey === true ? surveyShardNotice(flags.shards) : undefined;
  if (shardNotice !== undefined) process.stderr.write(`note: ${shardNotice}\n`);
  if (fitted.notice !== undefined) process.stderr.write(`${fitted.notice}\n`);
  const plan = fitted.plan;
  const format = flags.format ?? (flags.json ? 'json' : 'text');
  if (flags.shards !== undefined || format === 'github-matrix') {
    process.stdout.write(await formatShards(plan, flags, format));
    return ExitCode.Clean;
  }
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ runner: resolved.runner, projectDir: resolved.projectDir, ...planToJson(plan) }, null, 2)}\n`);
  } else {
    process.stderr.write(`${resolved.runner} in ${resolved.projectDir} (${resolved.runnerReason})\n`);
    process.stdout.write(`${formatPlanText(plan)}\n`);
  }
  return ExitCode.Clean;
}
