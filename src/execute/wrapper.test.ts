import { describe, expect, it } from '@jest/globals';
import { makeWrappedArgv, shellQuote } from './wrapper.js';

describe('makeWrappedArgv', () => {
  it('passes the command as separate arguments after the script, never inside it', () => {
    const argv = makeWrappedArgv(['python3', '-c', 'print("a b")'], []);
    expect(argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(argv.slice(3)).toEqual(['leakhunt-wrap', 'python3', '-c', 'print("a b")']);
  });

  it('disables core dumps and joins every cgroup before exec', () => {
    const script = makeWrappedArgv(['true'], ['/cg/v1/r1/cgroup.procs', '/cg/v2/r1/cgroup.procs'])[2] ?? '';
    const lines = script.split('\n');
    expect(lines[0]).toBe('ulimit -c 0');
    expect(lines[1]).toContain("echo $$ > '/cg/v1/r1/cgroup.procs'");
    expect(lines[2]).toContain("echo $$ > '/cg/v2/r1/cgroup.procs'");
    expect(lines.at(-1)).toBe('exec "$@"');
  });
});

describe('shellQuote', () => {
  it('quotes single quotes so a path cannot break out of the script', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});
