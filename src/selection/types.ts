// What a selection file says, after includes, globs and excludes are resolved.

export interface SourceLocation {
  /** The selection file, as the user named it (or as @include resolved it). */
  readonly file: string;
  /** 1-based line number in that file. */
  readonly line: number;
}

export interface SelectedTest {
  /** Absolute path of the test file, posix separators. */
  readonly absolutePath: string;
  /** The part of a node id after the file: "::TestX::test_y" for pytest, "" for a whole file. */
  readonly nodeSuffix: string;
  /** Where the entry that produced this test was written. */
  readonly source: SourceLocation;
}

export interface Selection {
  /** The selection file given on the command line. */
  readonly file: string;
  /** Absolute directory its paths are rooted at (--root, else the file's own directory): the user's frame for test ids. */
  readonly root: string;
  /** Deduplicated, in the order the file lists them. */
  readonly tests: readonly SelectedTest[];
  /** Problems tolerated with --allow-missing, one line each, "file:line: …". */
  readonly warnings: readonly string[];
}
