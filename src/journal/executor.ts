// A ProcessExecutor that answers from the journal before running: a run whose key is
// recorded is not started again; its recorded outcome is returned and the files it left
// (runner results, probe lines) are put back, so the caller builds the same RunRecord and
// bisection continues where it stopped. Every run that really ends is recorded.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { ProcessExecutor, ProcessOutcome, ProcessSpec } from '../execute/types.js';
import type { RunJournal } from './journal.js';
import { runKey } from './key.js';

/** Result and probe files bigger than this are not journaled (the run re-reads nothing then). */
const MAX_ARTIFACT_BYTES = 8 * 1024 * 1024;
/** Logs are already on disk under their run's name; the journal does not copy them. */
const NOT_ARTIFACTS = new Set(['logs']);

export interface JournaledExecutor extends ProcessExecutor {
  /** Runs answered from the journal so far. */
  replayedCount(): number;
}

export function journaledExecutor(
  inner: ProcessExecutor,
  journal: RunJournal,
  context: { outDir: string; planFingerprint: string; now: () => Date },
): JournaledExecutor {
  let replayed = 0;
  // A confirmation or a --repeat runs the same tests again on purpose: the nth run of a
  // command is its own journal entry, so a resume replays each occurrence, not the first n times.
  const occurrences = new Map<string, number>();
  return {
    replayedCount: () => replayed,
    async run(spec: ProcessSpec, abort?: AbortSignal): Promise<ProcessOutcome> {
      const command = runKey({ planFingerprint: context.planFingerprint, outDir: context.outDir, spec });
      const occurrence = (occurrences.get(command) ?? 0) + 1;
      occurrences.set(command, occurrence);
      const key = `${command}#${occurrence}`;
      const recorded = journal.lookup(key);
      if (recorded !== undefined) {
        replayed += 1;
        await restoreArtifacts(context.outDir, recorded.artifacts);
        return { ...recorded.outcome, logPath: spec.logPath };
      }
      const outcome = await inner.run(spec, abort);
      // An interrupted run did not finish: --resume must run it again.
      if (outcome.killedBy !== 'interrupted' && abort?.aborted !== true) {
        const artifacts = await collectArtifacts(context.outDir, spec.runId);
        await journal.append({ type: 'run', key, runId: spec.runId, finishedAt: context.now().toISOString(), outcome, artifacts });
      }
      return outcome;
    },
  };
}

/** Files named `<runId>.*` one folder below the output directory (results/, probes/, stacks/). */
async function collectArtifacts(outDir: string, runId: string): Promise<Record<string, string>> {
  const artifacts: Record<string, string> = {};
  const folders = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  for (const folder of folders) {
    if (!folder.isDirectory() || NOT_ARTIFACTS.has(folder.name)) continue;
    const files = await readdir(join(outDir, folder.name), { withFileTypes: true }).catch(() => []);
    for (const file of files) {
      if (!file.isFile() || !file.name.startsWith(`${runId}.`)) continue;
      const path = join(outDir, folder.name, file.name);
      if ((await stat(path)).size > MAX_ARTIFACT_BYTES) continue;
      artifacts[relative(outDir, path)] = await readFile(path, 'utf8');
    }
  }
  return artifacts;
}

async function restoreArtifacts(outDir: string, artifacts: Readonly<Record<string, string>>): Promise<void> {
  for (const [relativePath, text] of Object.entries(artifacts)) {
    const path = join(outDir, relativePath);
    // Only where the journal wrote them from: never outside the output directory.
    if (relative(outDir, path).startsWith('..') || basename(path) === '') continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
}
