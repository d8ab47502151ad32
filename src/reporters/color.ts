// Whether to colour, and the few colours the views use. Decided once by the caller from the
// stream and environment; renderers only see `options.color`.
import { Chalk, type ChalkInstance } from 'chalk';
import type { BatchOutcome } from './facts.js';

/**
 * The usual rules, in the order Node's own `tty.hasColors` applies them:
 * FORCE_COLOR (anything but "0"/"false") forces colour even into a pipe, since CI logs render ANSI;
 * FORCE_COLOR=0 and a non-empty NO_COLOR (no-color.org) turn it off;
 * otherwise colour only on a terminal that is not TERM=dumb.
 */
export function shouldUseColor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

export interface Palette {
  readonly outcome: (outcome: BatchOutcome, text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly good: (text: string) => string;
}

export function palette(color: boolean): Palette {
  // Our own instance: the global chalk guesses from process.stdout, which is the caller's call.
  const chalk: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  return {
    outcome: (outcome, text) => {
      if (outcome === 'passed') return chalk.green(text);
      if (outcome === 'not run' || outcome === 'no-tests') return chalk.dim(text);
      if (outcome === 'failed' || outcome === 'error') return chalk.yellow(text);
      return chalk.red(text);
    },
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    bad: (text) => chalk.red(text),
    good: (text) => chalk.green(text),
  };
}
