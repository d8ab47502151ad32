// Which file a hung run was importing (or, for Node, running) when its time ran out, read from
// the stack dump stacks.ts collected: the batch entry to try alone before any halving. Text in,
// a batch entry out; it runs nothing and judges nothing.
//   Python: the innermost `<module>` frame of a project file with the import machinery
//           (importlib, pytest's collection) further out: that module was being imported.
//   Node:   the innermost frame in a project file outside node_modules (a synchronous hang at
//           a test file's top level, or in a test of it: either way that file is the entry).
import path from 'node:path';
import { summarizePythonStack } from './stack-summary.js';

const IMPORT_MACHINERY = [/^<frozen importlib\._bootstrap/, /\/importlib\/__init__\.py$/, /\/_pytest\/(python|pathlib|main)\.py$/];
/** "    at fn (/abs/file.js:3:5)" or "    at /abs/file.js:3:5" (Node and V8 frames). */
const NODE_FRAME = /^\s*(?:node pid \d+: )?(?:at )?(?:.*? \()?((?:file:\/\/)?\/[^():]+):\d+(?::\d+)?\)?\s*$/;

/** pytest dumps Python stacks; every other probed runner (jest, vitest, node:test) Node ones. */
export type StackRunner = string;

/**
 * The batch entry (file, or a node id inside it) whose file the dump shows being imported or
 * run, or undefined when the dump points at none of them. Entries are relative to `rootDir`.
 */
export function entryOnStack(text: string, runner: StackRunner, entries: readonly string[], rootDir: string): string | undefined {
  const files = runner === 'pytest' ? importedModules(text, rootDir) : nodeProjectFiles(text, rootDir);
  for (const file of files) {
    const entry = entries.find((candidate) => fileOf(candidate) === file);
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/** Project files whose `<module>` frame sits under the import machinery, innermost first. */
export function importedModules(text: string, rootDir: string): string[] {
  const { frames } = summarizePythonStack(text, rootDir);
  const found: string[] = [];
  frames.forEach((frame, index) => {
    if (frame.func !== '<module>' || frame.file.startsWith('..') || path.isAbsolute(frame.file) || frame.file.startsWith('<')) return;
    const outer = frames.slice(index + 1);
    if (outer.some((o) => IMPORT_MACHINERY.some((pattern) => pattern.test(o.file)))) found.push(frame.file);
  });
  return found;
}

/** Files of a Node stack inside `rootDir` and outside node_modules, innermost first, relative. */
export function nodeProjectFiles(text: string, rootDir: string): string[] {
  const files: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = NODE_FRAME.exec(line);
    if (match?.[1] === undefined) continue;
    const absolute = match[1].replace(/^file:\/\//, '');
    const relative = path.relative(rootDir, absolute).split(path.sep).join('/');
    if (relative.startsWith('..') || relative.split('/').includes('node_modules')) continue;
    if (!files.includes(relative)) files.push(relative);
  }
  return files;
}

/** "tests/test_a.py::test_x" → "tests/test_a.py"; "tests/a.test.js > name" → "tests/a.test.js". */
function fileOf(entry: string): string {
  return entry.split('::')[0]?.split(' > ')[0] ?? entry;
}

/** "tests/spin.test.js line 4 (waitForFlag)": the innermost project frame of a Node stack. */
export function describeNodeHangSite(text: string, rootDir: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*at (.*?) \(((?:file:\/\/)?\/[^():]+):(\d+)(?::\d+)?\)\s*$/.exec(line);
    if (match?.[2] === undefined) continue;
    const relative = path
      .relative(rootDir, match[2].replace(/^file:\/\//, ''))
      .split(path.sep)
      .join('/');
    if (relative.startsWith('..') || relative.split('/').includes('node_modules')) continue;
    return `${relative} line ${match[3] ?? '?'} (${match[1] ?? '<anonymous>'})`;
  }
  return undefined;
}
