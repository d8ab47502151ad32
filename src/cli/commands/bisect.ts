// `leakhunt bisect <selection>`: the listed tests are one batch — one process, in order — and
// whatever failure it shows is narrowed. For a list already known to fail together.
import type { ExitCode } from '../../errors.js';
import { runCommand, type RunFlags } from './run.js';

export async function bisectCommand(flags: Omit<RunFlags, 'batchSize' | 'batches' | 'shuffle' | 'seed'>, argv: readonly string[]): Promise<ExitCode> {
  return runCommand({ ...flags, batches: 1, batchSize: undefined, shuffle: false, seed: undefined, bisect: true }, argv);
}
