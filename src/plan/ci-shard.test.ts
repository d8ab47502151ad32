import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { shardFromCi } from './ci-shard.js';

describe('--shard auto', () => {
  it.each([
    [{ GITHUB_ACTIONS: 'true', LEAKHUNT_SHARD: '2/4' }, 2, 4, /GitHub Actions matrix/],
    [{ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' }, 1, 3, /GitLab CI parallel \(CI_NODE_INDEX=1, CI_NODE_TOTAL=3\)/],
    [{ BUILDKITE_PARALLEL_JOB: '0', BUILDKITE_PARALLEL_JOB_COUNT: '5' }, 1, 5, /Buildkite/],
    [{ CIRCLE_NODE_INDEX: '4', CIRCLE_NODE_TOTAL: '5' }, 5, 5, /CircleCI/],
    [{ JOB_COMPLETION_INDEX: '2', LEAKHUNT_SHARD_TOTAL: '3' }, 3, 3, /Kubernetes Indexed Job/],
  ])('reads %j', (env, index, count, source) => {
    const found = shardFromCi(env);
    expect(found.shard).toEqual({ index, count });
    expect(found.source).toMatch(source);
  });

  it('refuses an index past the total, and a Kubernetes index without a total', () => {
    expect(() => shardFromCi({ CI_NODE_INDEX: '0', CI_NODE_TOTAL: '3' })).toThrow(UsageError); // GitLab is 1-based
    expect(() => shardFromCi({ JOB_COMPLETION_INDEX: '0' })).toThrow(/LEAKHUNT_SHARD_TOTAL/);
  });

  it('says what it looked for when nothing is set', () => {
    expect(() => shardFromCi({})).toThrow(/no CI parallelism found/);
  });
});
