// Turns a Python faulthandler dump into what a report shows: where the hung process was
// ("hung in tests/test_x.py line 3 (<module>)") and which test, if a test frame is on the
// stack. It reads text only; obtaining the dump is stacks.ts's job.
import path from 'node:path';

export interface StackFrame {
  readonly file: string;
  readonly line: number;
  readonly func: string;
}

export interface PythonStackSummary {
  /** "tests/test_x.py::test_y" when a test function is on the stack (innermost one). */
  readonly hungTest?: string;
  /** Innermost frame in the user's code (not the stdlib, site-packages, pytest or pluggy). */
  readonly where?: StackFrame;
  /** The signalled (main) thread's frames, innermost first. */
  readonly frames: readonly StackFrame[];
}

const FRAME = /^\s*File "(.+)", line (\d+) in (.+?)\s*$/;
const THREAD_HEADER = /^(Current thread|Thread) 0x[0-9a-f]+ .*:\s*$/i;
const LIBRARY = [/\/(site|dist)-packages\//, /\/lib\/python\d+\.\d+\//, /^<frozen /, /\/_pytest\//, /\/pluggy\//];
const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;

/** Summarizes the first dump in `text`; paths are made relative to `rootDir` when given. */
export function summarizePythonStack(text: string, rootDir?: string): PythonStackSummary {
  const frames = signalledThread(text.split(/\r?\n/)).map((frame) => ({
    ...frame,
    file: rootDir !== undefined && path.isAbsolute(frame.file) ? toPosix(path.relative(rootDir, frame.file)) : frame.file,
  }));
  const where = frames.find((frame) => !LIBRARY.some((pattern) => pattern.test(frame.file)));
  const testFrame = frames.find((frame) => frame.func.startsWith('test') && TEST_FILE.test(frame.file));
  return {
    frames,
    ...(where !== undefined && { where }),
    ...(testFrame !== undefined && { hungTest: `${testFrame.file}::${testFrame.func}` }),
  };
}

/** "tests/test_x.py line 3 (<module>)" — the words a report prints after "hung in". */
export function describeFrame(frame: StackFrame): string {
  return `${frame.file} line ${frame.line} (${frame.func})`;
}

// faulthandler prints "Current thread …" for the thread that took the signal (the main
// thread: Python runs signal handlers there) and "Thread …" for the others.
function signalledThread(lines: readonly string[]): StackFrame[] {
  const blocks: { current: boolean; frames: StackFrame[] }[] = [];
  for (const line of lines) {
    const header = THREAD_HEADER.exec(line);
    if (header) {
      blocks.push({ current: header[1] === 'Current thread', frames: [] });
      continue;
    }
    const frame = FRAME.exec(line);
    if (frame && blocks.length > 0) {
      blocks[blocks.length - 1]?.frames.push({ file: frame[1] ?? '', line: Number(frame[2]), func: frame[3] ?? '' });
    }
  }
  return (blocks.find((block) => block.current) ?? blocks[0])?.frames ?? [];
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/**
 * "tests/test_sync.py line 7 (test_sync_with_exchange) → subprocess.run": the innermost
 * frame in the user's code and the library call it was waiting in, if any. Undefined when
 * no frame of the user's code is on the stack.
 */
export function describeHangSite(summary: PythonStackSummary): string | undefined {
  const { where, frames } = summary;
  if (where === undefined) return undefined;
  const callee = frames[frames.indexOf(where) - 1];
  const module = callee === undefined ? undefined : path.posix.basename(callee.file).replace(/\.py$/, '');
  return callee === undefined ? describeFrame(where) : `${describeFrame(where)} → ${module}.${callee.func}`;
}
