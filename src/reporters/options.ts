// What a caller tells a renderer. Views are pure functions of (report, options); the few
// things they need from outside (a file's text, where the repository root is) come in here.
import type { BaselineComparison } from '../report/baseline.js';

export interface RenderOptions {
  /** ANSI colour in the console view; the caller decides (see shouldUseColor). Other views ignore it. */
  readonly color: boolean;
  /** Columns of the terminal for the console view (80 when unknown). Other views ignore it. */
  readonly width: number;
  /** Shown by text, md and html when given (from compareWithBaseline). */
  readonly baseline?: BaselineComparison;
  /** Prefix for artifact links in Markdown (e.g. an Actions artifact URL); relative paths otherwise. */
  readonly artifactBaseUrl?: string;
  /** Directory of the report file: log paths in it are relative to it. Without it, no log tails. */
  readonly reportDir?: string;
  /** Root that annotation paths are relative to (GITHUB_WORKSPACE or cwd). Default: the hunt's cwd. */
  readonly repoRoot?: string;
  /** Reads a text file, undefined when it cannot. Default: a synchronous read from disk. */
  readonly readText?: (absolutePath: string) => string | undefined;
}
