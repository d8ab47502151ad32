// The CI files people run or copy: schema-valid (action-validator) and wired the way
// docs/ci.md says — what the validator cannot see is asserted by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { CLI, REPO } from '../helpers/run-leakhunt.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed workflow YAML is walked by key paths the tests name
type Yaml = Record<string, any>;

function read(path: string): { text: string; doc: Yaml } {
  const text = readFileSync(join(REPO, path), 'utf8');
  return { text, doc: parse(text) as Yaml };
}

function stepsOf(doc: Yaml): Yaml[] {
  return Object.values(doc.jobs as Record<string, Yaml>).flatMap((job) => (job.steps ?? []) as Yaml[]);
}

describe('.github/workflows/leak-diagnostic.yml', () => {
  const { text, doc } = read('.github/workflows/leak-diagnostic.yml');

  it('is a valid workflow', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it("takes the seeds' inputs test_file and batch_size, and the budgets, runner, bisect, shards and fail_on_culprits", () => {
    const inputs = Object.keys(doc.on.workflow_dispatch.inputs as object);
    expect(inputs).toEqual(
      expect.arrayContaining(['test_file', 'batch_size', 'memory', 'timeout', 'runner', 'bisect', 'shards', 'fail_on_culprits']),
    );
  });

  it('fans out over the matrix the plan job prints and merges after every shard', () => {
    expect(doc.jobs.plan.outputs.matrix).toBe('${{ steps.plan.outputs.matrix }}');
    expect(doc.jobs.hunt.needs).toBe('plan');
    expect(doc.jobs.hunt.strategy.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(doc.jobs.hunt.strategy['fail-fast']).toBe(false);
    const huntStep = (doc.jobs.hunt.steps as Yaml[]).find((step) => step.uses === './.github/actions/leakhunt');
    expect(huntStep?.with.shard).toBe('${{ matrix.shard }}');
    expect(doc.jobs.merge.needs).toBe('hunt');
    expect(doc.jobs.merge.if).toContain('always()');
    const mergeStep = (doc.jobs.merge.steps as Yaml[]).find((step) => step.with?.command === 'merge');
    expect(mergeStep?.with.fail_on_culprits).toBe('${{ inputs.fail_on_culprits }}');
    expect((doc.jobs.merge.steps as Yaml[]).some((step) => String(step.uses).startsWith('actions/download-artifact@'))).toBe(true);
  });
});

describe('.github/workflows/nightly-leak-hunt.yml', () => {
  const { text, doc } = read('.github/workflows/nightly-leak-hunt.yml');

  it('is a valid workflow, scheduled and runnable by hand', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(doc.on).toHaveProperty('workflow_dispatch');
  });

  it('fetches the previous successful night, tolerating none, and hunts against it as baseline', () => {
    const script = stepsOf(doc)
      .map((step) => String(step.run ?? ''))
      .join('\n');
    expect(script).toContain('gh run list');
    expect(script).toContain('--status success');
    expect(script).toContain('gh run download');
    expect(script).toMatch(/no previous successful night/);
    const hunt = stepsOf(doc).find((step) => step.uses === './.github/actions/leakhunt');
    expect(hunt?.with.baseline).toBe('baseline/leakhunt-report.json');
    expect(hunt?.with.artifact_name).toBe('leakhunt-nightly');
  });
});

describe('.github/actions/leakhunt/action.yml', () => {
  const { text, doc } = read('.github/actions/leakhunt/action.yml');

  it("is a valid composite action with the dispatch workflow's inputs", () => {
    expect(validateAction(text).errors).toEqual([]);
    expect(doc.runs.using).toBe('composite');
    expect(Object.keys(doc.inputs as object)).toEqual(
      expect.arrayContaining(['test_file', 'batch_size', 'memory', 'timeout', 'runner', 'bisect', 'shards', 'shard', 'fail_on_culprits']),
    );
  });

  it('installs leakhunt from its own checkout and uploads the output directory', () => {
    const steps = doc.runs.steps as Yaml[];
    expect(String(steps[0]?.run)).toContain('${{ github.action_path }}/../../..');
    expect(String(steps[0]?.run)).toContain('npm ci');
    const upload = steps.find((step) => String(step.uses).startsWith('actions/upload-artifact@'));
    expect(upload?.with.path).toContain('${{ inputs.out }}');
  });
});

describe('leakhunt plan --format github-matrix', () => {
  it('prints a matrix that strategy.matrix accepts', async () => {
    const run = await execa(
      process.execPath,
      [CLI, 'plan', 'selections/example-pytest.txt', '--batch-size', '3', '--shards', '4', '--format', 'github-matrix'],
      { cwd: REPO, reject: false },
    );
    expect(run.exitCode).toBe(0);
    const matrix = JSON.parse(run.stdout) as { include: { shard: string }[] };
    expect(matrix.include.map((entry) => entry.shard)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const workflow = {
      on: 'push',
      jobs: { hunt: { 'runs-on': 'ubuntu-latest', strategy: { matrix }, steps: [{ run: 'echo ${{ matrix.shard }}' }] } },
    };
    expect(validateWorkflow(stringify(workflow)).errors).toEqual([]);
  });
});
