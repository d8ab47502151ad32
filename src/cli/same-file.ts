// "Nothing the user gave is overwritten": an output path that is also an input (the same path,
// or another name of the same file through a link) is refused before anything is read or written.
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Throws when `output` would overwrite `input`. `what` names the output in the message ("-o"). */
export function refuseSameFile(input: string, output: string, what: string): void {
  if (!isSameFile(input, output)) return;
  throw new UsageError(
    `${what} ${output} is the input ${input}: writing it would destroy what is being read`,
    'write to another file, e.g. -o report.html',
  );
}

function isSameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [left, right] = [statSync(a), statSync(b)];
    return (left.dev === right.dev && left.ino === right.ino) || realpathSync(a) === realpathSync(b);
  } catch {
    return false; // one of them does not exist yet: it cannot be the other
  }
}
