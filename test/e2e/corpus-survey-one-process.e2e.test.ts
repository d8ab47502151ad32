// Survey mode in its DEFAULT form (no --batch-size, default --jobs) on a real suite nobody here
// wrote (Debian's packaged simplejson tests) must reproduce the one CI process the seeds died in:
// the whole selection in one process, in its order, whatever the machine's cores. Split per job,
// a registry fed from both halves never crosses the budget, and a polluter reaches only the
// victims of its own half (the bug QA found with --jobs auto = 2).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, SIMPLEJSON_TESTS, simplejsonFeeder, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = SIMPLEJSON_TESTS;
// Real files that keep nothing per test and touch no injected module.
const REAL = [
  'test_bigint_as_string.py',
  'test_check_circular.py',
  'test_decimal.py',
  'test_decode.py',
  'test_default.py',
  'test_errors.py',
  'test_fail.py',
  'test_float.py',
  'test_indent.py',
].map((file) => `${TESTS}/${file}`);

const corpus = useCorpusSuite('python3-simplejson');

async function inject(file: string, text: string): Promise<string> {
  await writeFile(join(corpus.suite!.dir, TESTS, file), text);
  return `${TESTS}/${file}`;
}

async function selection(name: string, entries: readonly string[]): Promise<string> {
  const path = join(corpus.suite!.dir, name);
  await writeFile(path, `${entries.join('\n')}\n`);
  return path;
}

describe('default survey on a real suite (Debian python3-simplejson): the selection in one process, as in CI', () => {
  it('a registry fed by 3 files far apart crosses the budget in the one process: accumulator naming exactly those files', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await inject('qa_registry.py', 'REGISTRY = []\n\ndef register(collector):\n    REGISTRY.append(collector)\n');
    const feeder = (tag: string): string => simplejsonFeeder('qa_registry.register', `test_${tag}_registers_collector`);
    const feeders = [
      await inject('test_qa_metrics_a.py', feeder('a')),
      await inject('test_qa_metrics_b.py', feeder('b')),
      await inject('test_qa_metrics_c.py', feeder('c')),
    ];
    // Each feeder keeps 40 MiB; one half of the selection (split per job) keeps at most 80 MiB
    // and stays under the budget, the whole selection keeps 120 MiB and does not.
    const sel = await selection('accumulator.txt', [
      REAL[0]!,
      feeders[0]!,
      REAL[1]!,
      REAL[2]!,
      REAL[3]!,
      feeders[1]!,
      REAL[4]!,
      REAL[5]!,
      REAL[6]!,
      feeders[2]!,
      REAL[7]!,
    ]);
    const run = await runLeakhunt(['run', sel, '--memory', '130MB', '--timeout', '60s'], { cwd: suite.dir, timeoutMs: 280_000 });

    expect(run.exitCode).toBe(1);
    expect(run.report?.batches).toHaveLength(1);
    expect(run.report?.runs[0]?.verdict.outcome).toBe('over-memory');
    const accumulators = (run.report?.findings ?? []).filter((finding) => finding.kind === 'accumulator');
    expect(accumulators).toHaveLength(1);
    expect([...(accumulators[0]?.culprits ?? [])].sort()).toEqual(feeders);
    expect(run.report?.findings.filter((finding) => finding.kind !== 'accumulator')).toEqual([]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it('one polluter and two victims in different files far apart: one finding naming both victims', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await inject('qa_settings.py', 'SETTINGS = {"strict": True}\n');
    const polluter = await inject(
      'test_qa_polluter.py',
      'from simplejson.tests import qa_settings\n\ndef test_relaxes_settings_for_itself():\n    qa_settings.SETTINGS["strict"] = False  # never restored\n',
    );
    const victim = (tag: string): string =>
      `from simplejson.tests import qa_settings\n\ndef test_${tag}_expects_strict_settings():\n    assert qa_settings.SETTINGS["strict"] is True\n`;
    const victims = [await inject('test_qa_victim_a.py', victim('a')), await inject('test_qa_victim_b.py', victim('b'))];
    const sel = await selection('polluter.txt', [
      REAL[0]!,
      polluter,
      REAL[1]!,
      REAL[2]!,
      victims[0]!,
      REAL[3]!,
      REAL[4]!,
      REAL[5]!,
      REAL[6]!,
      victims[1]!,
      REAL[7]!,
    ]);
    const run = await runLeakhunt(['run', sel, '--memory', '130MB', '--timeout', '60s'], { cwd: suite.dir, timeoutMs: 280_000 });

    expect(run.exitCode).toBe(1);
    expect(run.report?.batches).toHaveLength(1);
    const findings = run.report?.findings ?? [];
    expect(findings.map((finding) => finding.kind)).toEqual(['polluter']);
    expect(findings[0]?.culprits).toEqual([polluter]); // the selection lists files: the file is named
    expect([...(findings[0]?.victims ?? [])].sort()).toEqual([
      `${victims[0]}::test_a_expects_strict_settings`,
      `${victims[1]}::test_b_expects_strict_settings`,
    ]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
