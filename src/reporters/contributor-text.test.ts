// How a contributing file is worded: a batch that died mid-file ran only some of its tests.
import { describe, expect, it } from '@jest/globals';
import { contributorTexts } from './facts.js';

const MIB = 1024 ** 2;

describe('contributor wording', () => {
  it('says how many of the file\'s tests ran, not "all N tests" of a file that has more', () => {
    const tests = [0, 1].map((t) => ({ test: `simplejson/tests/test_qa_cache_c.py::test_${t}`, retainedBytes: 8 * MIB }));
    const [text] = contributorTexts({
      slopeBytesPerTest: 8 * MIB,
      rSquared: 1,
      tests: 40,
      contributors: [{ file: 'simplejson/tests/test_qa_cache_c.py', wholeFile: true, retainedBytes: 16 * MIB, share: 0.3, tests }],
    });
    expect(text).toMatch(/^simplejson\/tests\/test_qa_cache_c\.py \(all 2 tests that ran\): 16(\.0)? MiB, 30%/);
  });

  it('says a contributor that ran after the death is measured in the run without the others', () => {
    const tests = [0, 1, 2, 3, 4].map((t) => ({ test: `tests/test_cache_c.py::test_c_${t}`, retainedBytes: 8 * MIB }));
    const [text] = contributorTexts({
      slopeBytesPerTest: 8 * MIB,
      rSquared: 1,
      tests: 19,
      contributors: [
        { file: 'tests/test_cache_c.py', wholeFile: true, retainedBytes: 40 * MIB, share: 1, tests, afterDeathRunId: 'b001-p02' },
      ],
    });
    expect(text).toMatch(
      /^tests\/test_cache_c\.py \(all 5 tests that ran\): 40(\.0)? MiB, 100% of b001-p02 \(it ran after the death\), ~8(\.0)? MiB per test$/,
    );
  });

  it('names a contributor that is one test (--cmd, found by prefix runs) without a stray space', () => {
    const [text] = contributorTexts({
      slopeBytesPerTest: 24 * MIB,
      rSquared: 1,
      tests: 27,
      contributors: [
        {
          file: 'test_05.json',
          wholeFile: false,
          retainedBytes: 24 * MIB,
          share: 0.34,
          tests: [{ test: 'test_05.json', retainedBytes: 24 * MIB }],
        },
      ],
    });
    expect(text).toMatch(/^test_05\.json: 24(\.0)? MiB, 34%, ~24(\.0)? MiB per test$/);
  });
});
