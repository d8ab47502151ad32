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
  readonly spec: Pick<ProcessSpec, 'argv' | 'cwd' | 'env' | 'budget'>;
}

export function runKey({ planFingerprint, outDir, spec }: RunKeyParts): string {
  const relativeToOut = (text: string): string => text.replaceAll(outDir, '<out>');
  const env = Object.keys(spec.env)
    .sort()
    .map((name) => [name, relativeToOut(spec.env[name] ?? '')]);
  const budget = [spec.budget.memoryBytes, spec.budget.timeoutMs, spec.budget.graceMs];
  const text = JSON.stringify({ planFingerprint, argv: spec.argv.map(relativeToOut), cwd: spec.cwd, env, budget });
  return createHash('sha256').update(text).digest('hex');
}
