// Decides whether a hunt's runs carry the per-test probe, and how: one attacher per hunt
// (jest's `--showConfig` costs ~1 s, so it is asked once, on the first run), one pair of
// files per run (how per-test ids become runnable: runners/runnable.ts). The generic runner
// never gets a probe.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { LeakhuntError } from '../errors.js';
import { findJest } from '../runners/jest.js';
import type { RunnerName } from '../runners/types.js';
import { type ProbeAttachment, type ProbeFiles, probeAttacher } from './attach.js';
import type { ProbeRunner } from './stacks.js';

export interface HuntProbes {
  readonly runner: ProbeRunner;
  /** The attachment for one run, or undefined when the probe is unavailable (see warning()). */
  attach(files: ProbeFiles): Promise<ProbeAttachment | undefined>;
  /** Why the probe is off, once known; undefined while it works. */
  warning(): string | undefined;
}

export interface ProbeSettings {
  /** --probe (default) / --no-probe. */
  readonly enabled: boolean;
  /** --tracemalloc: pytest only, slow (see docs/probes.md). */
  readonly tracemalloc: boolean;
  readonly projectDir: string;
  /** The environment runs inherit (PYTHONPATH and NODE_OPTIONS are extended, never replaced). */
  readonly userEnv: Readonly<Record<string, string | undefined>>;
}

/** undefined: this hunt runs without probes (--no-probe, or a runner that has none). */
export function createHuntProbes(runner: RunnerName, settings: ProbeSettings): HuntProbes | undefined {
  if (!settings.enabled || runner === 'generic') return undefined;
  const probeRunner: ProbeRunner = runner;
  let attacher: Promise<((files: ProbeFiles) => Promise<ProbeAttachment>) | undefined> | undefined;
  let why: string | undefined;
  const base = {
    projectDir: settings.projectDir,
    tracemalloc: settings.tracemalloc,
    userEnv: settings.userEnv,
    ...(runner === 'jest' && { jestCommand: [process.execPath, findJest(settings.projectDir).binPath] as [string, ...string[]] }),
  };
  const unavailable = (reason: string): undefined => {
    why ??= `per-test probe off: ${reason}; batches ran without per-test memory`;
    return undefined;
  };
  return {
    runner: probeRunner,
    async attach(files) {
      attacher ??= probeAttacher(probeRunner, base).catch((error: unknown) => {
        // A jest that cannot show its config will say so itself when the batch runs.
        if (error instanceof LeakhuntError) return unavailable(error.message);
        throw error;
      });
      const attach = await attacher;
      if (attach === undefined) return undefined;
      const attachment = await attach(files);
      return attachment.unavailable === undefined ? attachment : unavailable(attachment.unavailable);
    },
    warning: () => why,
  };
}

/** Where one run's probe and stacks go; the bisect phase reads the probe file back. */
export function probeFilesOf(outDir: string, runId: string): ProbeFiles {
  return { probeFile: join(outDir, 'probes', `${runId}.jsonl`), stacksFile: join(outDir, 'stacks', `${runId}.txt`) };
}

/**
 * The runner version the pytest probe wrote first in a run's probe file ("pytest 9.0.1
 * (/usr/bin/python3)"), or undefined. Costs one small read instead of a `pytest --version`
 * process competing with the first batch for the CPU.
 */
export async function runnerVersionFromProbe(probeFile: string): Promise<string | undefined> {
  const file = await open(probeFile).catch(() => undefined);
  if (file === undefined) return undefined;
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(4096), position: 0 });
    for (const line of buffer.subarray(0, bytesRead).toString('utf8').split('\n')) {
      if (!line.includes('"session"')) continue;
      const parsed = JSON.parse(line) as { event?: unknown; runner?: unknown };
      if (parsed.event === 'session' && typeof parsed.runner === 'string') return parsed.runner;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}
