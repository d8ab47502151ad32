// The config file's values against the flag tables (options.ts). Pure: the file was already
// found and parsed (config-file.ts). Keys are spelled as the long flags (`batch-size = 4`);
// a key that is no flag of any hunt command is an error naming the file and the key, a value
// of the wrong type likewise; flags on the command line override the file.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import { CONFIG_KEYS } from './options.js';

export type ConfigValue = string | number | boolean | readonly string[];

export interface ConfigFile {
  /** The file, as the user would name it (relative to the working directory when inside it). */
  readonly display: string;
  readonly path: string;
  /** Where in the file ("[tool.leakhunt]", 'the "leakhunt" key'), for messages. */
  readonly section: string | undefined;
  /** Validated values by long-flag name; path values already resolved against the file's directory. */
  readonly values: Readonly<Record<string, ConfigValue>>;
}

/** Flags whose value is a path: in a config file they are relative to the file, not to where leakhunt runs. */
const PATH_KEYS: ReadonlySet<string> = new Set(['root', 'project', 'out', 'baseline', 'durations-from']);

/** Checks every key and value of a parsed config object against the flag tables. */
export function validateConfig(raw: unknown, file: Omit<ConfigFile, 'values'>): ConfigFile {
  const where = file.section === undefined ? file.display : `${file.display} ${file.section}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(
      `${where}: leakhunt's configuration must be a table of flag names and values`,
      'e.g. { "batch-size": 4, "memory": "300MB" }',
    );
  }
  const values: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = CONFIG_KEYS[key];
    if (spec === undefined) throw unknownKey(where, key);
    values[key] = resolvePath(key, checkValue(where, key, spec, value), file.path);
  }
  return { ...file, values };
}

function unknownKey(where: string, key: string): UsageError {
  // batch_size, batchSize, BATCH-SIZE: the same flag spelled another way.
  const squash = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
  const meant = Object.keys(CONFIG_KEYS).find((known) => squash(known) === squash(key));
  return new UsageError(
    `${where}: unknown key "${key}"`,
    meant !== undefined
      ? `write it as the long flag: ${meant}`
      : `keys are the long flags of leakhunt run/bisect/plan (e.g. batch-size, memory, timeout); see leakhunt run --help`,
  );
}

function checkValue(where: string, key: string, spec: Options, value: unknown): ConfigValue {
  const fail = (expected: string, example: string): never => {
    throw new UsageError(`${where}: "${key}" must be ${expected}, got ${JSON.stringify(value)}`, `e.g. ${key} = ${example}`);
  };
  if (spec.choices !== undefined) {
    const choices = [spec.choices].flat() as readonly unknown[];
    return choices.includes(value)
      ? (value as string)
      : fail(`one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}`, JSON.stringify(choices[0]));
  }
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false', 'true');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number', '4');
    default:
      // batch-size and jobs take "auto" or a number (a string flag, coerced by options.ts).
      if (key === 'batch-size' || key === 'jobs')
        return (typeof value === 'number' && Number.isFinite(value)) || value === 'auto' ? value : fail('a number or "auto"', '4');
      if (typeof value === 'string') return key === 'runner-arg' ? [value] : value;
      // --runner-arg repeats on the command line; in a file it is a list.
      if (key === 'runner-arg' && Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
      return fail(
        key === 'runner-arg' ? 'a string or a list of strings' : 'a string',
        key === 'runner-arg' ? '["-p", "no:cacheprovider"]' : '"…"',
      );
  }
}

function resolvePath(key: string, value: ConfigValue, filePath: string): ConfigValue {
  if (typeof value !== 'string') return value;
  // --python is a path only when it has a slash; a bare name is looked up on PATH.
  const isPath = PATH_KEYS.has(key) || (key === 'python' && value.includes('/'));
  return isPath && !isAbsolute(value) ? resolve(dirname(filePath), value) : value;
}

export type ValueSource = 'command line' | 'default' | { readonly file: string };

export interface MergedFlag {
  readonly key: string;
  readonly value: unknown;
  readonly source: ValueSource;
}

/**
 * The flags a command runs with: given on the command line, else from the config file, else
 * the table's default. `parsed` is what yargs returned (defaults filled in), `explicit` the
 * keys the command line named. Returns the values to lay over `parsed` and where each came from.
 */
export function mergeConfig(
  table: Readonly<Record<string, Options>>,
  parsed: Readonly<Record<string, unknown>>,
  explicit: ReadonlySet<string>,
  config: ConfigFile | undefined,
): { overrides: Record<string, unknown>; merged: MergedFlag[] } {
  const overrides: Record<string, unknown> = {};
  const merged: MergedFlag[] = [];
  for (const key of Object.keys(table)) {
    const fromFile = config?.values[key];
    if (!explicit.has(key) && fromFile !== undefined && config !== undefined) {
      overrides[key] = fromFile;
      overrides[camelCase(key)] = fromFile;
      merged.push({ key, value: fromFile, source: { file: config.display } });
    } else if (parsed[key] !== undefined) {
      merged.push({ key, value: parsed[key], source: explicit.has(key) ? 'command line' : 'default' });
    }
  }
  // A --cmd runs where it was typed (docs/runners.md, "generic"); one written in a config file
  // was typed beside the file, so its relative paths start there, wherever leakhunt is run.
  const cmdFromFile = config !== undefined && !explicit.has('cmd') && config.values['cmd'] !== undefined;
  if (cmdFromFile && 'project' in table && !explicit.has('project') && config.values['project'] === undefined) {
    const project = dirname(config.path);
    overrides['project'] = project;
    merged.push({ key: 'project', value: project, source: { file: config.display } });
  }
  return { overrides, merged };
}

/** Which of the table's flags the command line names: --batch-size 4, --batchSize=4, --no-bisect, -o. */
export function explicitFlags(argv: readonly string[], table: Readonly<Record<string, Options>>): Set<string> {
  const byName = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) {
    byName.set(key, key);
    byName.set(camelCase(key), key);
    for (const alias of [spec.alias ?? []].flat()) byName.set(alias, key);
  }
  const explicit = new Set<string>();
  for (const arg of argv) {
    if (arg === '--') break;
    const match = /^--?([^=]+)/.exec(arg);
    if (match === null) continue;
    const name = match[1]!;
    const key = byName.get(name) ?? (name.startsWith('no-') ? byName.get(name.slice(3)) : undefined);
    if (key !== undefined) explicit.add(key);
  }
  return explicit;
}

function camelCase(key: string): string {
  return key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `--print-config`: every value the command would run with, and where it came from. */
export function formatMergedConfig(command: string, merged: readonly MergedFlag[], config: ConfigFile | undefined): string {
  const header =
    config === undefined
      ? `leakhunt ${command}: no config file found (looked for leakhunt.config.{json,js,mjs}, a "leakhunt" key in package.json, [tool.leakhunt] in pyproject.toml)`
      : `leakhunt ${command}: config file ${config.display}${config.section === undefined ? '' : ` ${config.section}`}`;
  const rows = merged.map(
    ({ key, value, source }) => [key, JSON.stringify(value), typeof source === 'string' ? source : source.file] as const,
  );
  const width = (column: 0 | 1): number => Math.max(...rows.map((row) => row[column].length), 0);
  const lines = rows.map(([key, value, source]) => `  ${key.padEnd(width(0))}  ${value.padEnd(width(1))}  ${source}`);
  return `${header}\nprecedence: command line > config file > default\n${lines.join('\n')}\n`;
}
