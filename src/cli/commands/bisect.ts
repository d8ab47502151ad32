// `leakhunt bisect <selection>`: the listed tests are one batch — one process, in order — and
// whatever failure it shows is narrowed. For a list already known to fail together.
import type { ExitCode } from '../../errors.js';
import type { bisectFlags, FlagValues } from '../options.js';
import { runCommand } from './run.js';

export async function bisectCommand(
  flags: FlagValues<typeof bisectFlags> & { readonly selection: string },
  argv: readonly string[],
): Promise<ExitCode> {
  // One batch, the listed order, no CI sharding: bisect has none of run's plan and scale flags.
  const onePlainBatch = {
    batches: 1,
    batchSize: undefined,
    shuffle: false,
    seed: undefined,
    shard: undefined,
    durationsFrom: undefined,
    resume: false,
    jobs: 1,
    totalMemory: undefined,
  };
  return runCommand({ ...flags, ...onePlainBatch, bisect: true }, argv);
}
