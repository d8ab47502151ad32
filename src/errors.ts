// What leakhunt does when it cannot do its job. A test dying is never an error here:
// that is a Verdict (classify/). These errors are for bad input, a missing runner, a bug.

export const ExitCode = {
  /** Every batch passed, or the hunt named no culprit. */
  Clean: 0,
  /** A batch failed or died, or bisection named a culprit. */
  CulpritsFound: 1,
  /** A flag, value or selection file is wrong. */
  Usage: 2,
  /** The machine lacks something: the runner, python, a way to measure memory. */
  Environment: 3,
  /** A bug in leakhunt itself; kept apart from 1 so scripts never read it as "culprits". */
  Internal: 70,
  /** Ctrl-C or SIGTERM; the partial report was written. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class LeakhuntError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    /** What the user can do about it, printed as "hint: …". */
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something the user typed is wrong: a flag, a value, a selection file. */
export class UsageError extends LeakhuntError {
  readonly exitCode = ExitCode.Usage;
}

/** This machine lacks something: the runner, python, a way to measure memory. */
export class EnvironmentError extends LeakhuntError {
  readonly exitCode = ExitCode.Environment;
}
