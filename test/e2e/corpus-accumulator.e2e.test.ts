// The seeds' failure on a real suite nobody here wrote (Debian's packaged networkx tests):
// a module-level metrics registry is injected, and 3 test files placed among 15 of
// networkx's own feed it (8 MiB per test, as in the seeds). leakhunt must answer
// `accumulator`, name exactly those 3 files, point at the registry's line, and confirm it in
// at most 3 runs after the failing batch, where the naive sweep (re-run the batch, then every
// test alone) costs 1 + the batch's tests.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { corpusSkipReason, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;

const corpus = useCorpusSuite('python3-networkx');

// networkx's own, small and quick: 12 real files (183 tests), the injected ones between.
const REAL = [
  'networkx/classes/tests/test_filters.py',
  'networkx/algorithms/tests/test_bridges.py',
  'networkx/algorithms/tests/test_chordal.py',
  'networkx/algorithms/tests/test_covering.py',
  'networkx/algorithms/tests/test_boundary.py',
  'networkx/algorithms/tests/test_core.py',
  'networkx/algorithms/tests/test_regular.py',
  'networkx/algorithms/tests/test_clique.py',
  'networkx/algorithms/tests/test_triads.py',
  'networkx/algorithms/tests/test_cuts.py',
  'networkx/algorithms/tests/test_dominance.py',
  'networkx/algorithms/tests/test_euler.py',
];
const INJECTED = [
  'networkx/classes/tests/test_graph_metrics.py',
  'networkx/algorithms/tests/test_dag_metrics.py',
  'networkx/algorithms/tests/test_path_metrics.py',
];

// Like prometheus_client.REGISTRY: lives as long as the process; every collector stays.
const REGISTRY = `REGISTRY = {}


def register(name, graph, buffer_bytes=8 * 1024 * 1024):
    REGISTRY[name] = (graph.number_of_nodes(), bytearray(b"\\x01" * buffer_bytes))
    return REGISTRY[name]
`;

function contributingFile(tag: string): string {
  const cases = [5, 10, 20, 40, 80]
    .map(
      (n) => `

def test_exports_metrics_of_a_path_of_${n}():
    graph = nx.path_graph(${n})
    metrics_registry.register("${tag}-path-${n}", graph)
    assert nx.is_connected(graph)
`,
    )
    .join('');
  return `import networkx as nx

import metrics_registry
${cases}`;
}

describe('a real suite (Debian python3-networkx) with an injected registry fed by 3 of 15 files', () => {
  it('is an accumulator naming exactly the 3 files, with the registry line, in at most 3 runs after the batch', async () => {
    const suite = corpus.suite;
    if (suite === undefined) {
      console.warn(`skipped: ${corpusSkipReason}`);
      return;
    }
    await writeFile(join(suite.dir, 'metrics_registry.py'), REGISTRY);
    await Promise.all(INJECTED.map((file, i) => writeFile(join(suite.dir, file), contributingFile(`f${i}`))));
    const order = [
      REAL[0],
      REAL[1],
      INJECTED[0],
      REAL[2],
      REAL[3],
      REAL[4],
      REAL[5],
      INJECTED[1],
      REAL[6],
      REAL[7],
      REAL[8],
      INJECTED[2],
      REAL[9],
      REAL[10],
      REAL[11],
    ].map((file) => file!);
    const selection = join(suite.dir, 'selection.txt');
    await writeFile(selection, `${order.join('\n')}\n`);
    const started = Date.now();
    const run = await runLeakhunt(
      ['run', selection, '--runner', 'pytest', '--project', suite.dir, '--batch-size', '15', '--memory', '200MiB', '--timeout', '120s'],
      { cwd: suite.dir, timeoutMs: 900_000 },
    );
    const wallMs = Date.now() - started;

    expect(run.exitCode).toBe(1);
    expect(run.report!.findings.map((f) => f.kind)).toEqual(['accumulator']);
    const finding = run.report!.findings[0]!;
    // Spelled as the selection wrote them, whole files (every test of each keeps memory).
    expect([...finding.culprits].sort()).toEqual([...INJECTED].sort());
    const facts = finding.accumulation!;
    expect(facts.slopeBytesPerTest / MIB).toBeGreaterThan(7.5);
    expect(facts.slopeBytesPerTest / MIB).toBeLessThan(8.5);
    expect(facts.explainedShare).toBeGreaterThan(0.8);
    expect(facts.leakSites![0]!.site).toBe('metrics_registry.py:5');
    expect(facts.leakSites![0]!.sizeBytes / MIB).toBeGreaterThan(80);
    const runsAfter = run.report!.runs.filter((r) => r.kind !== 'batch').length;
    expect(runsAfter).toBeLessThanOrEqual(3);
    // The naive sweep: re-run the failing batch, then every one of its tests alone.
    const collected = await execa('python3', ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', ...order], {
      cwd: suite.dir,
      reject: false,
    });
    const naive = 1 + collected.stdout.split('\n').filter((line) => line.includes('::')).length;
    expect(naive).toBeGreaterThan(150);
    console.log(
      `corpus scenario: verdict ${finding.kind}; contributors ${finding.culprits.join(', ')}; site ${facts.leakSites![0]!.site} +${(facts.leakSites![0]!.sizeBytes / MIB).toFixed(0)} MiB; runs after the batch ${runsAfter}; naive sweep ${naive} runs; wall ${(wallMs / 1000).toFixed(1)} s`,
    );
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 900_000);
});
