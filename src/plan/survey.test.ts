import { describe, expect, it } from '@jest/globals';
import { surveySegments, surveyShardNotice } from './survey.js';

describe('surveySegments', () => {
  it('one process whatever --jobs (as in CI), one per shard only when sharded, never more than tests', () => {
    expect(surveySegments(500, { shardCount: undefined })).toBe(1);
    expect(surveySegments(500, { shardCount: 4 })).toBe(4);
    expect(surveySegments(1, { shardCount: 4 })).toBe(1);
  });
});

describe('surveyShardNotice', () => {
  it('says what a sharded survey cannot see, and nothing when the selection is one process', () => {
    expect(surveyShardNotice(undefined)).toBeUndefined();
    expect(surveyShardNotice(1)).toBeUndefined();
    expect(surveyShardNotice(3)).toMatch(/3 shards.*out of view/);
  });
});
