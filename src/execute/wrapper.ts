// Builds the tiny shell wrapper every run starts under. It joins the run's cgroups *before*
// exec, so every descendant is born inside them (a process moved in later would leave its
// already-forked children outside), and it disables core dumps so SIGSEGV/SIGABRT tests do
// not litter the project with cores. `exec "$@"` keeps the pid: the wrapper becomes the root.
// Pure: paths in, argv out.

/** Exit status of the wrapper when it cannot join a cgroup; its stderr line starts with WRAP_TAG. */
export const WRAP_FAILED_EXIT = 125;
export const WRAP_TAG = 'leakhunt-wrap:';

export function makeWrappedArgv(argv: readonly [string, ...string[]], cgroupProcsFiles: readonly string[]): [string, ...string[]] {
  const joins = cgroupProcsFiles.map(
    (file) => `echo $$ > ${shellQuote(file)} || { echo "${WRAP_TAG} cannot join cgroup ${file}" >&2; exit ${WRAP_FAILED_EXIT}; }`,
  );
  const script = ['ulimit -c 0', ...joins, 'exec "$@"'].join('\n');
  // $0 names the wrapper in ps and in sh's own error messages.
  return ['/bin/sh', '-c', script, 'leakhunt-wrap', ...argv];
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
