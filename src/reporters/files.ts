// The only file access of the renderers: test sources (annotation lines) and run logs (JUnit
// log tails). Missing or unreadable files are normal (logs of another machine, a moved
// checkout), so this answers undefined instead of throwing.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RenderOptions } from './options.js';

export function readTextFile(absolutePath: string): string | undefined {
  try {
    return readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

export function textReader(options: RenderOptions): (absolutePath: string) => string | undefined {
  return options.readText ?? readTextFile;
}

/** The last `lines` lines of a run's log, or undefined when there is no report dir or no log. */
export function logTail(options: RenderOptions, logPath: string | undefined, lines: number): string | undefined {
  if (logPath === undefined || options.reportDir === undefined) return undefined;
  const path = isAbsolute(logPath) ? logPath : join(options.reportDir, logPath);
  const text = textReader(options)(path);
  if (text === undefined) return undefined;
  const all = text.replace(/\n$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
