import { describe, expect, it } from '@jest/globals';
import type { ProcessOutcome } from '../execute/types.js';
import { formatLine, JOURNAL_VERSION, type JournalRun, parseJournal } from './entries.js';
import { runKey } from './key.js';

const outcome: ProcessOutcome = {
  spawnError: undefined,
  exitCode: 0,
  signal: undefined,
  killedBy: undefined,
  kernelOomKills: 0,
  peakBytes: 1,
  durationMs: 2,
  memorySeries: [],
  backend: 'proc-sampler',
  orphans: [],
  logPath: '/o/logs/b001.log',
};
const header = {
  type: 'journal',
  version: JOURNAL_VERSION,
  planFingerprint: 'abc',
  selectionFile: 's.txt',
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;
const run: JournalRun = {
  type: 'run',
  key: 'k1',
  runId: 'b001',
  finishedAt: '2026-01-01T00:00:01.000Z',
  outcome,
  artifacts: { 'results/b001.out': '<xml/>' },
};

describe('parseJournal', () => {
  it('reads back the header and the runs it wrote', () => {
    const parsed = parseJournal(formatLine(header) + formatLine(run));
    expect(parsed.header).toEqual(header);
    expect(parsed.runs.get('k1')).toEqual(run);
    expect(parsed.skippedLines).toBe(0);
  });

  it('skips a line torn by kill -9 and keeps every whole line before it', () => {
    const text = formatLine(header) + formatLine(run) + formatLine({ ...run, key: 'k2' }).slice(0, 40);
    const parsed = parseJournal(text);
    expect([...parsed.runs.keys()]).toEqual(['k1']);
    expect(parsed.skippedLines).toBe(1);
  });
});

describe('runKey', () => {
  const spec = {
    argv: ['python3', '-m', 'pytest', '--junitxml=/out/results/b001.out', 'a.py', 'b.py'] as [string, ...string[]],
    cwd: '/p',
    env: { X: '/out/probes/b001.jsonl' },
    budget: { memoryBytes: 1, timeoutMs: 2, graceMs: 3 },
  };

  it('is the same for the same run wherever the output directory lives', () => {
    const moved = {
      ...spec,
      argv: spec.argv.map((word) => word.replace('/out', '/elsewhere')) as [string, ...string[]],
      env: { X: '/elsewhere/probes/b001.jsonl' },
    };
    expect(runKey({ planFingerprint: 'p', outDir: '/out', spec })).toBe(
      runKey({ planFingerprint: 'p', outDir: '/elsewhere', spec: moved }),
    );
  });

  it('differs when the order of the tests differs', () => {
    const swapped = {
      ...spec,
      argv: ['python3', '-m', 'pytest', '--junitxml=/out/results/b001.out', 'b.py', 'a.py'] as [string, ...string[]],
    };
    expect(runKey({ planFingerprint: 'p', outDir: '/out', spec })).not.toBe(
      runKey({ planFingerprint: 'p', outDir: '/out', spec: swapped }),
    );
  });

  it('differs when the budget or the plan differs', () => {
    const base = runKey({ planFingerprint: 'p', outDir: '/out', spec });
    expect(runKey({ planFingerprint: 'p', outDir: '/out', spec: { ...spec, budget: { ...spec.budget, memoryBytes: 9 } } })).not.toBe(base);
    expect(runKey({ planFingerprint: 'q', outDir: '/out', spec })).not.toBe(base);
  });
});
