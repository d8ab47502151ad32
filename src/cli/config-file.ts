// Finds and reads the config file beside the project: from the working directory up to the
// repository root (a directory with .git), the first directory holding one of
//   leakhunt.config.json / .js / .mjs,  a "leakhunt" key in package.json,  [tool.leakhunt] in pyproject.toml
// wins. Two of them in one directory is an error: which one counts would be a guess.
// Checking the values is config-values.ts's job (pure).
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, parse as parsePath, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseToml, TomlError } from 'smol-toml';
import { UsageError } from '../errors.js';
import { type ConfigFile, validateConfig } from './config-values.js';

const OWN_FILES = ['leakhunt.config.json', 'leakhunt.config.js', 'leakhunt.config.mjs'] as const;

interface Candidate {
  readonly path: string;
  readonly section: string | undefined;
  readonly raw: unknown;
}

/** The config file to use: `--config` when given, else the nearest one found from cwd up. */
export async function loadConfigFile(explicitPath: string | undefined, cwd: string): Promise<ConfigFile | undefined> {
  if (explicitPath !== undefined) {
    const path = resolve(cwd, explicitPath);
    const candidate = await readCandidate(path, cwd);
    if (candidate === undefined) {
      throw new UsageError(
        `--config ${explicitPath}: no leakhunt configuration there`,
        'give a leakhunt.config.{json,js,mjs}, a package.json with a "leakhunt" key, or a pyproject.toml with [tool.leakhunt]',
      );
    }
    return finish(candidate, cwd);
  }
  for (const directory of ancestors(resolve(cwd))) {
    const found = (
      await Promise.all(['package.json', 'pyproject.toml', ...OWN_FILES].map((name) => readCandidate(join(directory, name), cwd)))
    ).filter((c) => c !== undefined);
    if (found.length > 1) {
      throw new UsageError(
        `two leakhunt configurations in ${displayPath(directory, cwd) || '.'}: ${found.map((c) => describe(c, cwd)).join(' and ')}`,
        'keep one of them (or choose with --config FILE)',
      );
    }
    if (found[0] !== undefined) return finish(found[0], cwd);
    if (await exists(join(directory, '.git'))) return undefined;
  }
  return undefined;
}

function finish(candidate: Candidate, cwd: string): ConfigFile {
  return validateConfig(candidate.raw, { path: candidate.path, display: displayPath(candidate.path, cwd), section: candidate.section });
}

/** The leakhunt configuration in one file, or undefined when the file is absent or holds none. */
async function readCandidate(path: string, cwd: string): Promise<Candidate | undefined> {
  const name = parsePath(path).base;
  if (name.endsWith('.js') || name.endsWith('.mjs')) {
    if (!(await exists(path))) return undefined;
    return { path, section: undefined, raw: await importConfig(path, cwd) };
  }
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const display = displayPath(path, cwd);
  if (name.endsWith('.toml')) {
    const tool = (parseTomlFile(text, display)['tool'] ?? {}) as Record<string, unknown>;
    return tool['leakhunt'] === undefined ? undefined : { path, section: '[tool.leakhunt]', raw: tool['leakhunt'] };
  }
  const json = parseJsonFile(text, display) as Record<string, unknown>;
  if (name === 'package.json')
    return json['leakhunt'] === undefined ? undefined : { path, section: 'key "leakhunt"', raw: json['leakhunt'] };
  return { path, section: undefined, raw: json };
}

function parseTomlFile(text: string, display: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = error instanceof TomlError ? `:${error.line}` : '';
    throw new UsageError(
      `${display}${line}: not valid TOML: ${(error as Error).message.split('\n')[0]}`,
      'fix the file; keys are flags, e.g. batch-size = 4, memory = "300MB"',
    );
  }
}

function parseJsonFile(text: string, display: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      `${display}: not valid JSON: ${(error as Error).message}`,
      'fix the file; keys are flags, e.g. { "batch-size": 4, "memory": "300MB" }',
    );
  }
}

async function importConfig(path: string, cwd: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    throw new UsageError(
      `${displayPath(path, cwd)}: could not be loaded: ${(error as Error).message.split('\n')[0]}`,
      'it must export the configuration as its default export: export default { "batch-size": 4 }',
    );
  }
}

function describe(candidate: Candidate, cwd: string): string {
  return `${displayPath(candidate.path, cwd)}${candidate.section === undefined ? '' : ` (${candidate.section})`}`;
}

/** Relative to cwd, as the user would type it. */
function displayPath(path: string, cwd: string): string {
  return relative(cwd, path);
}

function* ancestors(directory: string): Generator<string> {
  let current = directory;
  for (;;) {
    yield current;
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
