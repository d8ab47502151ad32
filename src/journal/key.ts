// What makes two runs "the same run" for `--resume`: the plan they belong to, the exact
// command (program, arguments — the ordered tests are among them — working directory,
// added environment) and the budgets. Paths inside the output directory are written
// relative to it, so a journal still matches when the output directory is restored elsewhere.
import { createHash } from 'node:crypto';
import type { ProcessSpec } from '../execute/types.js';

export interface RunKeyParts {
  /** planFingerprint of the whole plan (not the shard's part of it). */
  readonly planFingerprint: string;
  readonly outDir: string;
  readonly spec: Pick<ProcessSpec, 'argv' | 'cwd' | 'env' | 'budget' | 'markClock'>;
}

export function runKey({ planFingerprint, outDir, spec }: RunKeyParts): string {
  const relativeToOut = (text: string): string => text.replaceAll(outDir, '<out>');
  const env = Object.keys(spec.env)
    .sort()
    .map((name) => [name, relativeToOut(spec.env[name] ?? '')]);
  // A budget counted from a mark (a lone test's own time) is part of it; absent, keys stay as they were.
  const budget = [
    spec.budget.memoryBytes,
    spec.budget.timeoutMs,
    spec.budget.graceMs,
    ...(spec.markClock === undefined ? [] : [spec.markClock.timeoutMs]),
  ];
  const text = JSON.stringify({ planFingerprint, argv: spec.argv.map(relativeToOut), cwd: spec.cwd, env, budget });
  return createHash('sha256').update(text).digest('hex');
}
