// Reads what probes/node-test-run.mjs wrote for one run into TestResults. Pure. As for jest,
// a TestId is a test file relative to the project: node:test runs whole files.

import { toTestId } from './jest-json.js';
import type { TestResults } from './types.js';

export interface NodeTestFileCounts {
  /** Absolute path of the test file. */
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** undefined when the text is not a complete results file (cut short by a kill). */
export function parseNodeTestResults(text: string): readonly NodeTestFileCounts[] | undefined {
  try {
    const value = JSON.parse(text) as { files?: unknown };
    return Array.isArray(value.files) ? (value.files as NodeTestFileCounts[]) : undefined;
  } catch {
    return undefined;
  }
}

export function nodeTestResults(
  files: readonly NodeTestFileCounts[] | undefined,
  exitCode: number | undefined,
  projectDir: string,
): TestResults {
  if (files === undefined) {
    // No file: killed (a signal tells the story) or the script itself could not start.
    const refused = exitCode !== undefined && exitCode > 0 && exitCode < 128;
    return {
      collected: undefined,
      failing: [],
      passed: 0,
      skipped: 0,
      startError: refused ? `node:test exited ${exitCode} without writing its results — see the log` : undefined,
    };
  }
  const sum = (key: 'passed' | 'failed' | 'skipped'): number => files.reduce((total, file) => total + file[key], 0);
  return {
    collected: sum('passed') + sum('failed') + sum('skipped'),
    failing: files.filter((file) => file.failed > 0).map((file) => toTestId(file.file, projectDir)),
    passed: sum('passed'),
    skipped: sum('skipped'),
    startError: undefined,
  };
}
