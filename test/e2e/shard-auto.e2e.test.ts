// `--shard auto` through the built CLI: each job reads its shard from its CI's variables
// (GitLab for one, a Kubernetes Indexed Job for the other), and `leakhunt merge` joins them
// into the report of the whole plan. docs/ci.md's GitLab and Kubernetes examples parse.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import type { Report } from '../../src/report/model.js';
import { CLI, makeOutDir, REPO } from '../helpers/run-leakhunt.js';

async function leakhunt(args: readonly string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: REPO,
    reject: false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    extendEnv: false,
  });
}

describe('--shard auto', () => {
  it('reads GitLab and Kubernetes variables, says which, and the shards merge into the whole plan', async () => {
    const dir = makeOutDir();
    const selection = join(dir, 'selection.txt');
    // Ids are spelled from the selection's root (docs/selection.md, "The user's frame"): with
    // --root at the project, the merged report says `tests/cart.test.js` as the selection does.
    writeFileSync(selection, ['cart', 'prices'].map((name) => `tests/${name}.test.js`).join('\n'));
    const hunt = [
      'run',
      selection,
      '--root',
      join(REPO, 'test/examples/node-test'),
      '--batch-size',
      '1',
      '--memory',
      '300MB',
      '--timeout',
      '20s',
      '--shard',
      'auto',
      '--no-step-summary',
    ];
    const [gitlab, kubernetes] = await Promise.all([
      leakhunt([...hunt, '--out', join(dir, 'shard-1')], { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' }),
      leakhunt([...hunt, '--out', join(dir, 'shard-2')], { JOB_COMPLETION_INDEX: '1', LEAKHUNT_SHARD_TOTAL: '2' }),
    ]);
    expect(gitlab.stderr).toContain('shard 1/2 from GitLab CI parallel (CI_NODE_INDEX=1, CI_NODE_TOTAL=2)');
    expect(kubernetes.stderr).toContain('shard 2/2 from Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1, LEAKHUNT_SHARD_TOTAL=2)');
    expect([gitlab.exitCode, kubernetes.exitCode]).toEqual([0, 0]);
    const merged = join(dir, 'merged.json');
    const merge = await leakhunt([
      'merge',
      join(dir, 'shard-1/leakhunt-report.json'),
      join(dir, 'shard-2/leakhunt-report.json'),
      '-o',
      merged,
      '--json-only',
    ]);
    expect(merge.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(merged, 'utf8')) as Report;
    expect(report.batches.map((batch) => batch.tests)).toEqual([['tests/cart.test.js'], ['tests/prices.test.js']]);
  }, 120_000);

  it('stops with exit 2 when no CI says which shard this is', async () => {
    const run = await leakhunt(['run', 'selections/example-node-test.txt', '--shard', 'auto', '--out', makeOutDir()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--shard auto: no CI parallelism found \(looked for LEAKHUNT_SHARD, CI_NODE_INDEX/);
  });

  it('has GitLab CI and Kubernetes examples in docs/ci.md that parse and run shards, then merge', () => {
    const ci = readFileSync(join(REPO, 'docs/ci.md'), 'utf8');
    const blocks = [...ci.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const gitlab = blocks.find((block) => block.includes('parallel:'))!;
    const kubernetes = blocks.find((block) => block.includes('completionMode: Indexed'))!;
    for (const block of [gitlab, kubernetes]) {
      const docs = parseAllDocuments(block);
      expect(docs.every((doc) => doc.errors.length === 0)).toBe(true);
      expect(block).toContain('--shard auto');
      expect(block).toContain('leakhunt merge');
    }
    const [job] = parseAllDocuments(kubernetes).map(
      (doc) =>
        doc.toJS() as { spec: { completions: number; template: { spec: { containers: { env: { name: string; value: string }[] }[] } } } },
    );
    expect(job!.spec.template.spec.containers[0]!.env).toContainEqual({
      name: 'LEAKHUNT_SHARD_TOTAL',
      value: String(job!.spec.completions),
    });
  });
});
