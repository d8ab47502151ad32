// Lays the config file under the command line for run, bisect, plan, collect and doctor, and answers
// --print-config. The flags keep the type the table gives them: the file's values were
// checked against the same table (config-values.ts).
import type { Options } from 'yargs';
import { loadConfigFile } from './config-file.js';
import { explicitFlags, formatMergedConfig, mergeConfig } from './config-values.js';
import { configOptions } from './options.js';

interface ConfigFlags {
  readonly config: string | undefined;
  readonly printConfig: boolean;
}

/** The flags to run with, or undefined when --print-config printed them instead. */
export async function withConfig<F extends ConfigFlags>(
  command: string,
  table: Readonly<Record<string, Options>>,
  flags: F,
  argv: readonly string[],
): Promise<F | undefined> {
  const config = await loadConfigFile(flags.config, process.cwd());
  const { overrides, merged } = mergeConfig(table, flags as unknown as Record<string, unknown>, explicitFlags(argv, table), config);
  if (flags.printConfig) {
    process.stdout.write(
      formatMergedConfig(
        command,
        merged.filter(({ key }) => !(key in configOptions)),
        config,
      ),
    );
    return undefined;
  }
  return { ...flags, ...overrides };
}
