// `leakhunt doctor`: one screen saying what works here and why, each line ✓/✗ with the fix.
// Exits 0 when a hunt can run (a memory backend, a process tree killed, --out writable).
import { Chalk } from 'chalk';
import { ExitCode } from '../../errors.js';
import { shouldUseColor } from '../../reporters/index.js';
import { type CheckLine, ci, memoryAndKill, nodeRunners, outWritable, python, samplerOverhead, scratchDir } from '../doctor-checks.js';
import type { doctorFlags, FlagValues } from '../options.js';
import { TOOL_VERSION } from '../version.js';

export async function doctorCommand(flags: FlagValues<typeof doctorFlags>): Promise<ExitCode> {
  const chalk = new Chalk({ level: shouldUseColor(process.stdout, process.env) ? 2 : 0 });
  const scratch = await scratchDir();
  let lines: CheckLine[];
  try {
    // One after another: the kill and sampler checks time real processes on a shared machine.
    lines = [
      ...(await memoryAndKill(scratch.dir)),
      await samplerOverhead(scratch.dir),
      await python(process.cwd(), flags.python),
      ...nodeRunners(process.cwd()),
      ci(process.env),
      await outWritable(flags.out),
    ];
  } finally {
    await scratch.remove();
  }
  const mark = { ok: chalk.green('✓'), failed: chalk.red('✗'), 'not-used': chalk.dim('–') } as const;
  const width = Math.max(...lines.map((line) => line.title.length));
  process.stdout.write(`leakhunt ${TOOL_VERSION} doctor · ${process.platform}/${process.arch}\n`);
  for (const line of lines) {
    process.stdout.write(`${mark[line.status]} ${line.title.padEnd(width)}  ${line.detail}\n`);
    if (line.fix !== undefined && line.status !== 'ok') process.stdout.write(`  ${' '.repeat(width)}  ${chalk.dim(`fix: ${line.fix}`)}\n`);
  }
  const blocking = lines.filter((line) => line.essential && line.status !== 'ok');
  process.stdout.write(
    blocking.length === 0 ? 'A hunt can run here.\n' : `A hunt cannot run here: ${blocking.map((line) => line.title).join(', ')}.\n`,
  );
  return blocking.length === 0 ? ExitCode.Clean : ExitCode.Environment;
}
