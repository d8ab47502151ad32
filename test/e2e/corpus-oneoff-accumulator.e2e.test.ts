// The QA scenario on a real suite nobody here wrote (Debian's packaged simplejson tests): a
// module-level registry that 3 injected files feed (8 MiB per test), beside real files that
// include test_dump.py, whose TestDump::test_accumulator builds a 100 000-int list once and
// keeps ~1.5 MiB. The batch dies after a few registry steps, so that one-off is a visible
// share of what ran: it must never be named (its growth is ~1.1 MiB, near the 1 MiB floor:
// whether it stands out varies run to run, so the rule property test pins that case down).
// Every contributor file must get a leak line (before the fix, test_qa_cache_a.py had none).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, SIMPLEJSON_TESTS, simplejsonFeeder, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = SIMPLEJSON_TESTS;
const REAL_FILES = [
  'test_bigint_as_string.py',
  'test_check_circular.py',
  'test_decimal.py',
  'test_dump.py',
  'test_decode.py',
  'test_default.py',
  'test_errors.py',
  'test_fail.py',
].map((file) => `${TESTS}/${file}`);

const corpus = useCorpusSuite('python3-simplejson');

describe('a real suite (Debian python3-simplejson) with 3 registry feeders and a real one-off keeper, 130 MB', () => {
  it('names exactly the 3 feeders, never test_dump.py, with a leak line in every feeder file', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(join(suite.dir, TESTS, 'qa_cache.py'), 'CACHE = []\n\ndef keep(value):\n    CACHE.append(value)\n');
    const feeders = ['a', 'b', 'c'].map((tag) => `${TESTS}/test_qa_cache_${tag}.py`);
    await Promise.all(
      ['a', 'b', 'c'].map((tag, i) => writeFile(join(suite.dir, feeders[i]!), simplejsonFeeder('qa_cache.keep', `test_${tag}_caches`))),
    );
    const selection = join(suite.dir, 'selection.txt');
    // test_dump.py (the one-off) runs before the feeders, as in the QA run.
    await writeFile(
      selection,
      `${[...REAL_FILES.slice(0, 5), feeders[0], ...REAL_FILES.slice(5, 7), feeders[1], REAL_FILES[7], feeders[2]].join('\n')}\n`,
    );
    const run = await runLeakhunt(['run', selection, '--memory', '130MB', '--timeout', '60s', '--jobs', '1'], { cwd: suite.dir });

    const accumulators = (run.report?.findings ?? []).filter((f) => f.kind === 'accumulator');
    expect(accumulators).toHaveLength(1);
    const finding = accumulators[0]!;
    const named = finding.culprits.map((c) => c.split('::')[0]!);
    expect([...new Set(named)].sort()).toEqual(feeders);
    expect(finding.culprits.join(' ')).not.toMatch(/test_dump/);
    expect((finding.accumulation?.contributors ?? []).map((c) => c.file).sort()).toEqual(feeders);
    const sites = (finding.accumulation?.leakSites ?? []).map((s) => s.site);
    // Every feeder file the confirmation run reached has its line (the run dies in the last).
    for (const file of feeders) expect(sites.some((site) => site.includes(file.split('/').pop()!))).toBe(true);
    expect(run.stdout).not.toMatch(/kept by [^\n]*test_dump/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 900_000);
});
