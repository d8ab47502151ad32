// `leakhunt collect [paths…]`: a selection file from the runner itself, on stdout or -o FILE.
// The runner and its directory are found as for `run` (src/runners/detect.ts); entries are
// written relative to the selection file's directory (or the working directory for stdout),
// which is how `run` reads them back.
import { dirname, resolve } from 'node:path';
import { ExitCode, UsageError } from '../../errors.js';
import { collectedCountText, formatSelection, listTests, refuseGeneric } from '../../runners/collect.js';
import { detectProject } from '../../runners/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { collectFlags, FlagValues } from '../options.js';

export type CollectFlags = FlagValues<typeof collectFlags> & { readonly paths: readonly string[] | undefined };

export async function collectCommand(flags: CollectFlags): Promise<ExitCode> {
  const paths = (flags.paths ?? []).map((path) => resolve(path));
  if (flags.runner === 'generic') refuseGeneric();
  const choice = await detectProject(
    (paths.length > 0 ? paths : [resolve(flags.project ?? '.')]).map((absolutePath) => ({ absolutePath, nodeId: false })),
    flags.runner,
  );
  const projectDir = flags.project === undefined ? choice.projectDir : resolve(flags.project);
  if (flags.python !== undefined && choice.runner !== 'pytest')
    throw new UsageError(`--python given for ${choice.runner}`, '--python only chooses the interpreter of pytest; drop it');
  const ids = await listTests({ runner: choice.runner, projectDir, paths, python: flags.python, runnerArgs: flags.runnerArg ?? [] });
  const granularity = flags.tests && choice.runner === 'pytest' ? 'test' : 'file';
  if (flags.tests && granularity === 'file')
    process.stderr.write(`${choice.runner} runs whole files: the selection lists files (per-test ids come from the probe during a hunt)\n`);
  const output = flags.output === undefined ? undefined : resolve(flags.output);
  const text = formatSelection(ids, granularity, {
    runner: choice.runner,
    projectDir,
    base: output === undefined ? process.cwd() : dirname(output),
    toFile: output !== undefined,
  });
  process.stderr.write(`${choice.runner} in ${projectDir} (${choice.runnerWhy}): ${collectedCountText(ids, granularity)}\n`);
  if (output === undefined) process.stdout.write(text);
  else await writeFileAtomic(output, text);
  return ids.length === 0 ? ExitCode.Usage : ExitCode.Clean;
}
