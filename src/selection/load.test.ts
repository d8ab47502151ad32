// loadSelection on real files in temporary directories: globs, includes, excludes and the
// messages a user sees. Each test builds its own small tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { type LoadSelectionOptions, loadSelection } from './load.js';
import type { Selection } from './types.js';

const createdDirs: string[] = [];
afterAll(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes files (path → content; a trailing "/" makes an empty directory) under a new temp dir. */
function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-selection-')));
  createdDirs.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    if (relative.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return root;
}

const TEST_FILES = {
  'tests/test_a.py': '',
  'tests/test_b.py': '',
  'tests/unit/test_c.py': '',
  'tests/unit/helper.py': '',
  'tests/node_modules/pkg/test_vendored.py': '',
  'tests/.cache/test_hidden.py': '',
};

/** Tests as "relative/path::suffix @ line", relative to `root`, for compact assertions. */
function listed(selection: Selection, root: string): string[] {
  return selection.tests.map(
    (test) =>
      `${path.posix.relative(root, test.absolutePath) || '.'}${test.nodeSuffix} @ ${path.basename(test.source.file)}:${test.source.line}`,
  );
}

async function loadErrorOf(file: string, options: LoadSelectionOptions): Promise<UsageError> {
  try {
    await loadSelection(file, options);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('loadSelection', () => {
  it('expands globs to files only, sorted, skipping node_modules and dot directories', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/**/test_*.py\n' });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual([
      'tests/test_a.py @ sel.txt:1',
      'tests/test_b.py @ sel.txt:1',
      'tests/unit/test_c.py @ sel.txt:1',
    ]);
    expect(selection.warnings).toEqual([]);
  });

  it('keeps the order of the lines, first mention wins, and dedupes silently', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/test_b.py\ntests/*.py\ntests/test_b.py\n' });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/test_b.py @ sel.txt:1', 'tests/test_a.py @ sel.txt:2']);
    expect(selection.warnings).toEqual([]);
  });

  it('reads a BOM + CRLF file written byte for byte, with a trailing comment and Windows separators', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('# unit tests\r\ntests\\test_a.py  # fast\r\n\r\ntests\\unit\\test_c.py\r\n', 'utf8'),
    ]);
    const root = makeTree({ ...TEST_FILES, 'sel.txt': bytes });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/test_a.py @ sel.txt:2', 'tests/unit/test_c.py @ sel.txt:4']);
  });

  it('keeps node ids with their suffix when the file exists, and accepts absolute paths', async () => {
    const root = makeTree(TEST_FILES);
    fs.writeFileSync(path.join(root, 'sel.txt'), `tests/test_a.py::TestX::test_y[param-1]\n${root}/tests/test_b.py\n`);
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/test_a.py::TestX::test_y[param-1] @ sel.txt:1', 'tests/test_b.py @ sel.txt:2']);
    expect(selection.tests[0]?.absolutePath).toBe(`${root}/tests/test_a.py`);
  });

  it('keeps a directory entry as one directory path', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/unit/\n' });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/unit @ sel.txt:1']);
  });

  it('drops a node id whose file is selected whole, with a warning naming both lines', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/test_a.py::test_x\ntests/test_a.py\n' });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/test_a.py @ sel.txt:2']);
    expect(selection.warnings).toEqual([
      `${root}/sel.txt:1: "tests/test_a.py::test_x" is already selected by ` +
        `"tests/test_a.py" (${root}/sel.txt:2); dropped so that it does not run twice`,
    ]);
  });

  it('applies excludes as a filter over everything, including included files, whatever their position', async () => {
    const root = makeTree({
      ...TEST_FILES,
      'ci/unit.txt': '!../tests/test_b.py   # too slow\n../tests/**/test_*.py\n@include more.txt\n',
      'ci/more.txt': '../tests/test_b.py::test_again\n!../tests/unit/\n',
    });
    const selection = await loadSelection(path.join(root, 'ci/unit.txt'), { allowMissing: false });
    expect(listed(selection, root)).toEqual(['tests/test_a.py @ unit.txt:2']);
    expect(selection.warnings).toEqual([]);
  });

  it('warns about an exclude that removes nothing', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/test_a.py\n!tests/test_b.py\n' });
    const selection = await loadSelection(path.join(root, 'sel.txt'), { allowMissing: false });
    expect(selection.warnings).toEqual([`${root}/sel.txt:2: "!tests/test_b.py" removes nothing: it matches no selected test`]);
  });

  it('follows nested includes relative to each including file', async () => {
    const root = makeTree({
      ...TEST_FILES,
      'sel/top.txt': '@include nested/one.txt\n../tests/test_b.py\n',
      'sel/nested/one.txt': '../../tests/test_a.py\n@include ../../other/two.txt\n',
      'other/two.txt': '../tests/unit/test_c.py\n',
    });
    const selection = await loadSelection('sel/top.txt', { allowMissing: false, cwd: root });
    expect(listed(selection, root)).toEqual([
      'tests/test_a.py @ one.txt:1',
      'tests/unit/test_c.py @ two.txt:1',
      'tests/test_b.py @ top.txt:2',
    ]);
    expect(selection.tests[1]?.source.file).toBe('other/two.txt');
  });

  it('refuses an include cycle, naming both file:line', async () => {
    const root = makeTree({ 'a.txt': 'x.py\n@include b.txt\n', 'b.txt': '@include a.txt\n', 'x.py': '' });
    const error = await loadErrorOf('a.txt', { allowMissing: false, cwd: root });
    expect(error.message).toBe('b.txt:1: "@include" makes a cycle: a.txt:2 includes b.txt, b.txt:1 includes a.txt');
  });

  it('names file:line of a path that does not exist, with the directory paths start from', async () => {
    const root = makeTree({ ...TEST_FILES, 'ci/sel.txt': '# x\n../tests/test_a.py\n../tests/test_gone.py\n' });
    const error = await loadErrorOf('ci/sel.txt', { allowMissing: false, cwd: root });
    expect(error.message).toBe('ci/sel.txt:3: "../tests/test_gone.py" does not exist');
    expect(error.hint).toBe(
      `paths are relative to the selection file's directory (${root}/ci); use --root to change that, or --allow-missing to skip`,
    );
    expect(error.exitCode).toBe(2);
  });

  it('says "matches no file" for an empty glob and counts the other missing entries', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/**/test_z*.py\nnope1.py\nnope2.py::t\n' });
    const error = await loadErrorOf('sel.txt', { allowMissing: false, cwd: root });
    expect(error.message).toBe('sel.txt:1: "tests/**/test_z*.py" matches no file (and 2 more: sel.txt:2, sel.txt:3)');
  });

  it('hints "--root ." when the entry exists relative to the current directory', async () => {
    const root = makeTree({ ...TEST_FILES, 'tools/ci/sel.txt': 'tests/test_a.py\n' });
    const error = await loadErrorOf('tools/ci/sel.txt', { allowMissing: false, cwd: root });
    expect(error.hint).toBe('it exists relative to the current directory: pass --root .');
  });

  it('hints the parent directory where the entry exists when that is not the current directory', async () => {
    const root = makeTree({ ...TEST_FILES, 'tools/ci/sel.txt': 'tests/test_a.py\n', 'elsewhere/': '' });
    const error = await loadErrorOf(path.join(root, 'tools/ci/sel.txt'), { allowMissing: false, cwd: path.join(root, 'elsewhere') });
    expect(error.hint).toBe(`it exists relative to ${root}: pass --root ..`);
  });

  it('makes entries relative to --root', async () => {
    const root = makeTree({ ...TEST_FILES, 'tools/ci/sel.txt': 'tests/test_a.py\ntests/unit/*.py\n' });
    const selection = await loadSelection('tools/ci/sel.txt', { allowMissing: false, cwd: root, root: '.' });
    expect(listed(selection, root)).toEqual([
      'tests/test_a.py @ sel.txt:1',
      'tests/unit/helper.py @ sel.txt:2',
      'tests/unit/test_c.py @ sel.txt:2',
    ]);
  });

  it('refuses a --root that does not exist', async () => {
    const root = makeTree({ 'sel.txt': 'a.py\n' });
    const error = await loadErrorOf('sel.txt', { allowMissing: false, cwd: root, root: 'nowhere' });
    expect(error.message).toBe('--root "nowhere" does not exist');
  });

  it('turns missing entries into warnings with --allow-missing', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/test_gone.py\ntests/test_a.py\ntests/x_*.py\n' });
    const selection = await loadSelection('sel.txt', { allowMissing: true, cwd: root });
    expect(listed(selection, root)).toEqual(['tests/test_a.py @ sel.txt:2']);
    expect(selection.warnings).toEqual([
      'sel.txt:1: "tests/test_gone.py" does not exist (skipped: --allow-missing)',
      'sel.txt:3: "tests/x_*.py" matches no file (skipped: --allow-missing)',
    ]);
  });

  it('refuses an empty selection, saying why', async () => {
    const root = makeTree({
      ...TEST_FILES,
      'only-comments.txt': '# nothing\n\n',
      'all-gone.txt': 'tests/test_a.py\n!tests/\n',
      'all-missing.txt': 'nope.py\n',
    });
    expect((await loadErrorOf('only-comments.txt', { allowMissing: false, cwd: root })).message).toBe(
      'only-comments.txt: the selection is empty: it has no entries, only comments, blank lines or excludes',
    );
    expect((await loadErrorOf('all-gone.txt', { allowMissing: false, cwd: root })).message).toBe(
      'all-gone.txt: the selection is empty: the "!" lines removed all 1 tests it selected',
    );
    expect((await loadErrorOf('all-missing.txt', { allowMissing: true, cwd: root })).message).toBe(
      'all-missing.txt: the selection is empty: none of its entries exists (--allow-missing skipped them all)',
    );
  });

  it('refuses a node id on a directory and a node id after a glob', async () => {
    const root = makeTree({ ...TEST_FILES, 'dir.txt': 'tests::test_x\n', 'glob.txt': 'tests/*.py::test_x\n' });
    expect((await loadErrorOf('dir.txt', { allowMissing: true, cwd: root })).message).toBe(
      'dir.txt:1: "tests::test_x" is a node id, but "tests" is a directory',
    );
    expect((await loadErrorOf('glob.txt', { allowMissing: true, cwd: root })).message).toBe(
      'glob.txt:1: "tests/*.py::test_x" puts a node id after a glob',
    );
  });

  it('refuses a selection file that does not exist or is binary', async () => {
    const root = makeTree({ 'bin.txt': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]) });
    expect((await loadErrorOf('missing.txt', { allowMissing: false, cwd: root })).message).toBe(
      'selection file "missing.txt" does not exist',
    );
    expect((await loadErrorOf('bin.txt', { allowMissing: false, cwd: root })).message).toBe(
      'bin.txt: this looks like a binary file, not a selection file (it contains NUL bytes)',
    );
  });

  it('treats a file whose name looks like a glob as a path when it exists as written', async () => {
    const root = makeTree({ 'tests/test_[x].py': '', 'tests/test_x.py': '', 'sel.txt': 'tests/test_[x].py\n' });
    const selection = await loadSelection('sel.txt', { allowMissing: false, cwd: root });
    expect(listed(selection, root)).toEqual(['tests/test_[x].py @ sel.txt:1']);
  });

  it('refuses a glob exclude that matches files inside a selected directory', async () => {
    const root = makeTree({ ...TEST_FILES, 'sel.txt': 'tests/unit\n!tests/**/test_c.py\n' });
    const error = await loadErrorOf('sel.txt', { allowMissing: false, cwd: root });
    expect(error.message).toBe(
      'sel.txt:2: "!tests/**/test_c.py" would remove part of "tests/unit" (sel.txt:1), ' + 'but that directory goes to the runner whole',
    );
  });

  it('expands an absolute glob', async () => {
    const root = makeTree(TEST_FILES);
    fs.writeFileSync(path.join(root, 'sel.txt'), `${root}/tests/unit/test_*.py\n`);
    const selection = await loadSelection('sel.txt', { allowMissing: false, cwd: root });
    expect(listed(selection, root)).toEqual(['tests/unit/test_c.py @ sel.txt:1']);
  });

  it('explains that jest-style -t filters are not selection syntax', async () => {
    const root = makeTree({ 'src/a.test.ts': '', 'sel.txt': 'src/a.test.ts -t "adds numbers"\n' });
    const error = await loadErrorOf('sel.txt', { allowMissing: false, cwd: root });
    expect(error.message).toBe('sel.txt:1: "src/a.test.ts -t "adds numbers"" does not exist');
    expect(error.hint).toContain('test-name filters (-t "name") are not supported');
  });

  it('hints "--root ." for a glob that matches files relative to the current directory', async () => {
    const root = makeTree({ ...TEST_FILES, 'ci/sel.txt': 'tests/*/test_*.py\n' });
    const error = await loadErrorOf('ci/sel.txt', { allowMissing: false, cwd: root });
    expect(error.hint).toBe('it exists relative to the current directory: pass --root .');
  });

  it('loads the tour fixture exactly as docs/selection.md shows it', async () => {
    const tour = fileURLToPath(new URL('../../test/fixtures/selections/tour', import.meta.url));
    const selection = await loadSelection('unit.txt', { allowMissing: false, cwd: tour });
    expect(listed(selection, tour)).toEqual([
      'tests/unit/nested/test_vectors.py @ unit.txt:2',
      'tests/unit/test_math.py @ unit.txt:2',
      'tests/test_api.py::TestAuth @ unit.txt:4',
      'tests/test_db.py @ common.txt:2',
    ]);
    expect(selection.warnings).toEqual([
      'unit.txt:3: "tests/test_api.py::TestAuth::test_login[admin]" is already selected by ' +
        '"tests/test_api.py::TestAuth" (unit.txt:4); dropped so that it does not run twice',
    ]);
  });

  it('loads 100,000 entries, keeping each file once and warning for every covered node id', async () => {
    const files: Record<string, string> = {};
    for (let dir = 0; dir < 100; dir++) for (let file = 0; file < 10; file++) files[`tests/d${dir}/test_${file}.py`] = '';
    const root = makeTree(files);
    // 1,000 real files, each named 100 times: 99 node ids with a trailing comment, then the file whole.
    const lines: string[] = [];
    for (let repeat = 0; repeat < 99; repeat++) {
      for (const name of Object.keys(files)) lines.push(`${name}::TestX::test_${repeat}[p-1]  # note`);
    }
    lines.push(...Object.keys(files));
    fs.writeFileSync(path.join(root, 'big.txt'), `${lines.join('\r\n')}\r\n`);
    expect(lines).toHaveLength(100_000);
    // Timing is measured by `npm run bench` (test/bench/planner.mjs, the dedupe row), not here.
    const selection = await loadSelection('big.txt', { allowMissing: false, cwd: root });
    expect(selection.tests).toHaveLength(1_000); // every node id is covered by its whole file
    expect(selection.warnings).toHaveLength(99_000);
  });
});
