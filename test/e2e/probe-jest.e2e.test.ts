// The jest probe on real jest runs, with the argv/env probeArgs produces: the user's own
// setup file keeps running, the heap really grows, a hung worker really answers SIGUSR2.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { smallestFailingPrefix } from '../../src/bisect/accumulator-prefix.js';
import type { Executor, TrialResult } from '../../src/bisect/types.js';
import { judgeAccumulation, retainedPoints } from '../../src/classify/accumulator/rule.js';
import { JEST_PROBE_SETUP, jestSetupFiles, type ProbeAttachment, probeArgs } from '../../src/probe/attach.js';
import { type PerTestRecord, readProbeFile } from '../../src/probe/records.js';
import { collectStacks } from '../../src/probe/stacks.js';
import { PROCESS_TABLES } from '../helpers/process-tables.js';
import { isAlive } from '../helpers/processes.js';

const MIB = 1024 ** 2;
const SUITES = path.resolve('test/fixtures/suites');
const JEST = [process.execPath, path.resolve('node_modules/jest/bin/jest.js')] as const;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'leakhunt-probe-jest-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let attached = 0;

/** Files of their own for every attach: a second run of the same suite must not read the first's. */
async function attach(name: string): Promise<{ probe: string; stacks: string; attachment: ProbeAttachment }> {
  attached += 1;
  const probe = path.join(work, `${name}-${attached}.jsonl`);
  const stacks = path.join(work, `${name}-${attached}.stacks`);
  const attachment = await probeArgs('jest', {
    projectDir: path.join(SUITES, name),
    probeFile: probe,
    stacksFile: stacks,
    tracemalloc: false,
    userEnv: { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=1024' },
    jestCommand: JEST,
  });
  return { probe, stacks, attachment };
}

function jestArgv(name: string, attachment: ProbeAttachment, tests: string[]): string[] {
  const cache = path.join(work, `cache-${name}`);
  return [JEST[1], '-i', '--ci', `--cacheDirectory=${cache}`, ...attachment.argvBefore, ...tests, ...attachment.argvAfter];
}

describe('jest probe', () => {
  it('keeps the user setup files first and its own last', () => {
    const config = JSON.stringify({ configs: [{ setupFilesAfterEnv: ['/p/user.js'] }], globalConfig: {} });
    expect(jestSetupFiles(config, '/lh/setup.cjs')).toEqual({ files: ['/p/user.js', '/lh/setup.cjs'] });
    const twoProjects = JSON.stringify({ configs: [{ setupFilesAfterEnv: ['/a.js'] }, { setupFilesAfterEnv: [] }] });
    expect(jestSetupFiles(twoProjects, '/lh/setup.cjs')).toHaveProperty('unavailable');
    expect(existsSync(JEST_PROBE_SETUP)).toBe(true);
  });

  it("takes each file's baseline after the previous file's vm context is freed: no first test reads its release", async () => {
    // Before, node still held the previous file's context at the baseline's full GC (it lets go
    // in that GC's weak callback): every later file's first test read ~0.8 MiB low.
    const { probe, attachment } = await attach('jest-six-files');
    const tests = [1, 2, 3, 4, 5, 6].map((n) => `tests/part${n}.test.js`);
    const result = await execa(process.execPath, jestArgv('jest-six-files', attachment, tests), {
      cwd: path.join(SUITES, 'jest-six-files'),
      env: attachment.env,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(0);
    const lines = (await readFile(probe, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; file: string; heapBeforeGcBytes?: number; heapAfterGcBytes?: number });
    const firstTestGrowth = lines.flatMap((line, i) => {
      const after = lines[i + 1];
      if (line.event !== 'start' || line.heapBeforeGcBytes === undefined || after?.event !== 'phase') return [];
      return [{ file: line.file, growth: (after.heapAfterGcBytes ?? Number.NaN) - line.heapBeforeGcBytes }];
    });
    expect(firstTestGrowth.map((entry) => entry.file).sort()).toEqual(tests); // in jest's order: the first one read is the first run
    // jest itself may let go of a file late on a loaded machine (docs/accumulators.md): one such file is allowed.
    const readLow = firstTestGrowth.slice(1).filter((entry) => entry.growth < -512 * 1024);
    expect(readLow.length).toBeLessThanOrEqual(1);
  }, 90_000);

  it('sees a module array growing 4 MiB per test as an accumulator on the post-GC heap', async () => {
    const { probe, attachment } = await attach('jest-accumulator');
    expect(attachment.env.NODE_OPTIONS).toMatch(/^--max-old-space-size=1024 --expose-gc /);
    const result = await execa(process.execPath, jestArgv('jest-accumulator', attachment, ['tests/registry.test.js']), {
      cwd: path.join(SUITES, 'jest-accumulator'),
      env: attachment.env,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(0); // includes "the user setup file still ran"
    const records = await readProbeFile(probe);
    expect(records).toHaveLength(13);
    expect(records.every((r) => r.retainedSource === 'post-gc-heap')).toBe(true);
    const verdict = judgeAccumulation(retainedPoints(records.slice(0, 12)));
    expect(verdict.isAccumulating).toBe(true);
    expect(verdict.bytesPerContributingTest).toBeGreaterThan(0.8 * 4 * MIB);
    expect(verdict.bytesPerContributingTest).toBeLessThan(1.2 * 4 * MIB);
    const budgetBytes = (records[0]?.retainedAfterBytes ?? 0) + 6.5 * 4 * MIB; // index 7 reaches it
    const found = await smallestFailingPrefix(
      records.map((r) => r.test),
      replayRetained(records, budgetBytes),
      { outcome: 'over-memory', failingTest: undefined, signal: undefined },
    );
    expect(Math.abs(found.length - 8)).toBeLessThanOrEqual(1);
  }, 90_000);

  it.each(PROCESS_TABLES)(
    'gets a diagnostic report from a worker hung on a promise (pids read from %s), then the hang is killed',
    async (_source, table) => {
      const { probe, stacks, attachment } = await attach('jest-async-hang');
      const child = execa(process.execPath, jestArgv('jest-async-hang', attachment, ['tests/hang.test.js']), {
        cwd: path.join(SUITES, 'jest-async-hang'),
        env: attachment.env,
        reject: false,
        stdio: 'ignore',
      });
      const pid = child.pid ?? -1;
      try {
        await waitForTestToStart(probe);
        const text = await collectStacks('jest', [pid], stacks, table);
        expect(text).toContain(`node pid ${pid}: no JavaScript running`);
        expect(text).toMatch(/timer/);
        expect(isAlive(pid)).toBe(true); // SIGUSR2 was handled, not fatal
      } finally {
        child.kill('SIGKILL');
        await child;
      }
    },
    60_000,
  );
});

// Over-memory when the retained figure after one of the prefix's tests reached the budget.
function replayRetained(records: readonly PerTestRecord[], budgetBytes: number): Executor {
  const retained = new Map(records.map((r) => [r.test, r.retainedAfterBytes]));
  let runs = 0;
  return {
    async run(tests): Promise<TrialResult> {
      runs += 1;
      const peakBytes = Math.max(...tests.map((t) => retained.get(t) ?? 0));
      const outcome = peakBytes >= budgetBytes ? 'over-memory' : 'passed';
      return {
        tests,
        peakBytes,
        durationMs: 1,
        runId: `replay-${runs}`,
        verdict: { outcome, because: '', failingTests: [], signal: undefined },
      };
    },
  };
}

async function waitForTestToStart(probeFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await readProbeFile(probeFile)).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no test started within 30 s (${probeFile})`);
}
