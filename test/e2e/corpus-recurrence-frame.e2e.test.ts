// The accumulator confirmation on a real suite nobody here wrote (Debian's packaged simplejson
// tests), hunted from a selection rooted ABOVE the project (--root, as a monorepo's CI does):
// 3 injected files feed a module registry (8 MiB per test), and one injected test keeps 8 MiB
// once, only because another test turned a cache on before it. The rule alone names that test;
// alone (the confirmation run) it keeps nothing, so it is dropped with the numbers that show
// it. Contributors, leak sites and repro are spelled from the selection's root.
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, SIMPLEJSON_TESTS, simplejsonFeeder, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;
const TESTS = SIMPLEJSON_TESTS;
const REAL_FILES = [
  'test_bigint_as_string.py',
  'test_check_circular.py',
  'test_decimal.py',
  'test_decode.py',
  'test_default.py',
  'test_fail.py',
].map((file) => `${TESTS}/${file}`);

const corpus = useCorpusSuite('python3-simplejson');

describe('a real suite (Debian python3-simplejson), 3 registry feeders and a one-off, selected from above the project', () => {
  it('names exactly the 3 feeders, drops the one-off that keeps nothing alone, and spells every path from the root', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    const files: Record<string, string> = {
      'qa_registry.py': 'REGISTRY = []\n\n\ndef register(value):\n    REGISTRY.append(value)\n',
      'qa_lookup.py':
        'ENABLED = False\nTABLE = []\n\n\ndef lookup(key):\n    if ENABLED and not TABLE:\n        TABLE.append(b"t" * (8 * 1024 * 1024))  # built once\n    return key\n',
      'test_qa_settings.py': 'from simplejson.tests import qa_lookup\n\n\ndef test_enables_lookup_table():\n    qa_lookup.ENABLED = True\n',
      'test_qa_lookup.py': 'from simplejson.tests.qa_lookup import lookup\n\n\ndef test_looks_up():\n    assert lookup("a") == "a"\n',
      ...Object.fromEntries(
        ['a', 'b', 'c'].map((tag) => [`test_qa_feeds_${tag}.py`, simplejsonFeeder('qa_registry.register', `test_${tag}_registers`)]),
      ),
    };
    await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(suite.dir, TESTS, name), text)));
    // The selection's root is the folder above the project: entries start with the project's name.
    const root = dirname(suite.dir);
    const project = basename(suite.dir);
    const order = [
      REAL_FILES[0],
      `${TESTS}/test_qa_feeds_a.py`,
      `${TESTS}/test_qa_settings.py`,
      REAL_FILES[1],
      `${TESTS}/test_qa_lookup.py`,
      REAL_FILES[2],
      `${TESTS}/test_qa_feeds_b.py`,
      REAL_FILES[3],
      REAL_FILES[4],
      `${TESTS}/test_qa_feeds_c.py`,
      REAL_FILES[5],
    ];
    const selection = join(suite.dir, 'from-above.txt');
    await writeFile(selection, `${order.map((entry) => `${project}/${entry}`).join('\n')}\n`);

    const run = await runLeakhunt(
      ['run', selection, '--root', root, '--project', suite.dir, '--memory', '140MB', '--timeout', '60s', '--jobs', '1'],
      { cwd: root },
    );

    const [finding, ...others] = run.report?.findings ?? [];
    expect(others.map((f) => f.kind)).toEqual([]);
    expect(finding?.kind).toBe('accumulator');
    const feeders = ['a', 'b', 'c'].map((tag) => `${project}/${TESTS}/test_qa_feeds_${tag}.py`);
    expect([...new Set(finding!.culprits.map((c) => c.split('::')[0]!))].sort()).toEqual(feeders);
    const facts = finding!.accumulation!;
    const lookup = `${project}/${TESTS}/test_qa_lookup.py::test_looks_up`;
    const check = facts.confirmation!.recurrence!.find((c) => c.contributor === lookup);
    // The rule named it from the batch (it kept 8 MiB there); alone it kept under 1 MiB.
    expect(check).toMatchObject({ recurred: false });
    expect(check!.batchBytes / MIB).toBeGreaterThan(7);
    expect(check!.aloneBytes! / MIB).toBeLessThan(1);
    expect(
      facts
        .confirmation!.recurrence!.filter((c) => c.recurred)
        .map((c) => c.contributor.split('::')[0])
        .sort(),
    ).toEqual(feeders);
    expect(finding!.because).toContain(`not named, their growth did not recur: ${lookup}`);
    // Leak sites in the same frame as the ids: the feeders' lines, spelled from the root.
    const sites = (facts.leakSites ?? []).map((s) => s.site);
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites.filter((s) => s.includes('test_qa_feeds'))) expect(site.startsWith(`${project}/${TESTS}/`)).toBe(true);
    expect(sites.some((site) => site.startsWith(`${project}/${TESTS}/test_qa_feeds_`))).toBe(true);
    expect(run.report!.runs.filter((r) => r.kind !== 'batch')).toHaveLength(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 900_000);
});
