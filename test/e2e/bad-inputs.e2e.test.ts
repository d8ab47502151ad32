// Every bad input is refused before the first run: a distinct exit code, one line naming what is
// wrong (and a hint), no stack trace, and nothing the user had is changed: each row runs in a
// directory holding a selection, a project, an --out with an earlier report and a file of the
// user's, and report files; after the refusal every byte of it is as it was, and no file was added.
// The rows fail before anything runs, so they run several at once (jest's concurrent pool).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, REPO } from '../helpers/run-leakhunt.js';

const REPORTS = join(REPO, 'test/fixtures/reports');
const SUITE_DIR = mkdtempSync(join(tmpdir(), 'leakhunt-bad-inputs-'));
afterAll(() => rmSync(SUITE_DIR, { recursive: true, force: true }));

interface Row {
  /** Arguments; `run`/`bisect` rows get `--out out` unless they name --out. Paths are relative to the row's directory. */
  readonly args: readonly string[];
  /** The first line of stderr. */
  readonly message: RegExp;
  /** Default 2 (usage). */
  readonly exit?: number;
  /** Extra files in the row's directory (a Buffer for bytes, a `->target` string for a symlink). */
  readonly files?: Readonly<Record<string, string | Buffer>>;
}

const run = (...extra: string[]): string[] => ['run', 'sel.txt', ...extra];
const withSelection = (text: string | Buffer): Row['files'] => ({ 'sel.txt': text });

// prettier-ignore
const ROWS: Readonly<Record<string, Row>> = {
  // Sizes: a unit is required, no negatives, nothing a runner could not start in.
  'memory without a unit (1.5)': { args: run('--memory', '1.5'), message: /--memory "1\.5" has no unit/ },
  'memory without a unit (512)': { args: run('--memory', '512'), message: /--memory "512" has no unit/ },
  'negative memory as its own word': { args: run('--memory', '-5MB'), message: /--memory "-5MB" is negative/ },
  'negative memory after =': { args: run('--memory=-5MB'), message: /--memory "-5MB" is negative/ },
  'negative memory, a bare number': { args: run('--memory', '-5'), message: /--memory "-5" is negative/ },
  'memory 1KB': { args: run('--memory', '1KB'), message: /--memory "1KB" is 1000 B, below the 8\.0 MiB/ },
  'memory 100B': { args: run('--memory', '100B'), message: /--memory "100B" .*below/ },
  'memory 0': { args: run('--memory', '0'), message: /--memory "0" is not a size/ },
  'memory 0MB': { args: run('--memory', '0MB'), message: /--memory "0MB" is not a size/ },
  'memory in words': { args: run('--memory', 'lots'), message: /--memory "lots" is not a size/ },
  'memory with an unknown unit': { args: run('--memory', '5XB'), message: /--memory "5XB" is not a size/ },
  'memory in exponent form': { args: run('--memory', '1e3MB'), message: /--memory "1e3MB" is not a size/ },
  'memory with a decimal comma': { args: run('--memory', '1,5GB'), message: /--memory "1,5GB" is not a size/ },
  'memory empty': { args: run('--memory', ''), message: /--memory "" is not a size/ },
  'memory with no number': { args: run('--memory', 'MB'), message: /--memory "MB" is not a size/ },
  'memory in hexadecimal': { args: run('--memory', '0x10MB'), message: /--memory "0x10MB" is not a size/ },
  'memory Infinity': { args: run('--memory', 'Infinity'), message: /--memory "Infinity" is not a size/ },
  'memory beyond any number': { args: run('--memory', '99999999999TB'), message: /--memory "99999999999TB" is too large/ },
  'total memory 1KB': { args: run('--total-memory', '1KB', '--jobs', '2'), message: /--total-memory "1KB" .*below/ },
  'total memory without a unit': { args: run('--total-memory', '2', '--jobs', '2'), message: /--total-memory "2" has no unit/ },
  'negative total memory': { args: run('--total-memory', '-1GB'), message: /--total-memory "-1GB" is negative/ },
  'total memory below one batch': {
    args: run('--total-memory', '100MB', '--memory', '300MB', '--jobs', '2'),
    message: /--memory 286 MiB per batch exceeds --total-memory 95\.4 MiB/,
  },
  'log limit 1KB': { args: run('--log-limit', '1KB'), message: /--log-limit "1KB" is 1000 B, below the 64 KiB/ },
  'log limit without a unit': { args: run('--log-limit', '5'), message: /--log-limit "5" has no unit/ },
  'negative log limit': { args: run('--log-limit', '-1MB'), message: /--log-limit "-1MB" is negative/ },
  // Durations: a unit is required (0 excepted), no negatives, nothing shorter than a runner's start.
  'timeout 0': { args: run('--timeout', '0'), message: /--timeout "0" is not a duration/ },
  'timeout without a unit': { args: run('--timeout', '5'), message: /--timeout "5" has no unit/ },
  'negative timeout': { args: run('--timeout', '-5s'), message: /--timeout "-5s" is negative/ },
  'timeout in words': { args: run('--timeout', 'soon'), message: /--timeout "soon" is not a duration/ },
  'timeout 1ms': { args: run('--timeout', '1ms'), message: /--timeout "1ms" is shorter than 100 ms/ },
  'timeout in days': { args: run('--timeout', '30d'), message: /--timeout "30d" is not a duration/ },
  "timeout past a timer's range": { args: run('--timeout', '1000h'), message: /--timeout "1000h" is longer than a week/ },
  'negative grace': { args: run('--grace', '-1s'), message: /--grace "-1s" is negative/ },
  'grace in words': { args: run('--grace', 'later'), message: /--grace "later" is not a duration/ },
  'grace without a unit': { args: run('--grace', '2'), message: /--grace "2" has no unit/ },
  'sample interval 0': { args: run('--sample-interval', '0'), message: /--sample-interval "0" is not a duration/ },
  'sample interval without a unit': { args: run('--sample-interval', '10'), message: /--sample-interval "10" has no unit/ },
  'negative sample interval': { args: run('--sample-interval=-10ms'), message: /--sample-interval "-10ms" is negative/ },
  // Whole numbers.
  'batch size 0': { args: run('--batch-size', '0'), message: /--batch-size must be a positive integer, got 0/ },
  'negative batch size': { args: run('--batch-size', '-1'), message: /--batch-size must be a positive integer, got -1/ },
  'fractional batch size': { args: run('--batch-size', '1.5'), message: /--batch-size must be a positive integer, got 1\.5/ },
  'batch size in words': {
    args: run('--batch-size', 'three'),
    message: /--batch-size must be a positive integer, got something that is not a number/,
  },
  'batches 0': { args: run('--batches', '0'), message: /--batches must be a positive integer, got 0/ },
  'batch size and batches': { args: run('--batch-size', '3', '--batches', '2'), message: /--batch-size and --batches both given/ },
  'repeat 0': { args: run('--repeat', '0'), message: /--repeat 0 is not a positive whole number/ },
  'max runs 0': { args: run('--max-runs', '0'), message: /--max-runs 0 is not a positive whole number/ },
  'max runs in words': {
    args: run('--max-runs', 'many'),
    message: /--max-runs must be a positive integer, got something that is not a number/,
  },
  'jobs 0': { args: run('--jobs', '0'), message: /--jobs 0 is not a positive whole number/ },
  'fractional jobs': { args: run('--jobs', '1.5'), message: /--jobs 1\.5 is not a positive whole number/ },
  'seed in words': { args: run('--shuffle', '--seed', 'abc'), message: /--seed must be an integer/ },
  'fractional seed': { args: run('--shuffle', '--seed', '1.5'), message: /--seed must be an integer, got 1\.5/ },
  // Choices and combinations.
  'unknown runner': { args: run('--runner', 'nose'), message: /Invalid values:.*runner.*nose/ },
  'unknown backend': { args: run('--backend', 'magic'), message: /Invalid values:.*backend.*magic/ },
  'unknown outcome': { args: ['bisect', 'sel.txt', '--outcome', 'slow'], message: /Invalid values:.*outcome.*slow/ },
  'generic runner without --cmd': { args: run('--runner', 'generic'), message: /--runner generic needs --cmd/ },
  '--cmd with another runner': { args: run('--cmd', 'true {tests}', '--runner', 'pytest'), message: /--cmd given with --runner pytest/ },
  'empty --cmd': { args: run('--cmd', ''), message: /--cmd is empty/ },
  '--cmd without a placeholder': { args: run('--cmd', 'true'), message: /--cmd "true" has no \{tests\} or \{test\} placeholder/ },
  '--cmd with a pipe': { args: run('--cmd', 'true {tests} | grep x'), message: /--cmd is run without a shell: the operator \|/ },
  '--cmd starting with an environment assignment': {
    args: run('--cmd', 'A=1 true {tests}'),
    message: /--cmd is run without a shell: the environment assignment A=1 in "A=1 true \{tests\}" is not supported/,
  },
  '--cmd with a variable': { args: run('--cmd', 'true $HOME {tests}'), message: /--cmd is run without a shell: \$HOME/ },
  '--cmd with both placeholders': { args: run('--cmd', 'true {tests} {test}'), message: /uses both \{tests\} and \{test\}/ },
  '--cmd with {tests} inside a word': { args: run('--cmd', 'true --x={tests}'), message: /\{tests\} must be a word of its own/ },
  'empty --python': { args: run('--python', ''), message: /--python is empty/ },
  '--python with jest': { args: run('--python', 'python3', '--runner', 'jest'), message: /--python given with --runner jest/ },
  '--project that does not exist': { args: run('--project', 'nowhere'), message: /--project nowhere is not a directory/ },
  'a --cmd program that does not exist': {
    args: run('--cmd', 'leakhunt-no-such-command {tests}'),
    exit: 3,
    message: /leakhunt-no-such-command/,
  },
  // Shards.
  'shard 0/4': { args: run('--shard', '0/4'), message: /--shard/ },
  'shard 5/4': { args: run('--shard', '5/4'), message: /--shard/ },
  'shard in words': { args: run('--shard', 'two'), message: /--shard/ },
  'shard of 0': { args: run('--shard', '1/0'), message: /--shard/ },
  '--durations-from a missing file (estimate)': {
    args: run('--durations-from', 'missing.json'),
    message: /--durations-from .*missing\.json: not a leakhunt report with runs/,
  },
  '--durations-from garbage (estimate)': {
    args: run('--durations-from', 'garbage.json'),
    message: /--durations-from .*garbage\.json: not a leakhunt report with runs/,
  },
  '--durations-from a missing file': {
    args: run('--shard', '1/2', '--durations-from', 'missing.json'),
    message: /missing\.json: no such file/,
  },
  '--durations-from garbage': { args: run('--shard', '1/2', '--durations-from', 'garbage.json'), message: /garbage\.json: not JSON/ },
  // Baselines are read and checked before the hunt, not after it.
  'baseline missing': { args: run('--baseline', 'missing.json'), message: /missing\.json: no such file/ },
  'baseline garbage': { args: run('--baseline', 'garbage.json'), message: /garbage\.json: not JSON/ },
  'baseline a JSON array': {
    args: run('--baseline', 'array.json'),
    message: /array\.json: not a leakhunt report \(the JSON is not an object\)/,
  },
  'baseline without a schema version': {
    args: run('--baseline', 'empty-object.json'),
    message: /empty-object\.json: not a leakhunt report \(no integer "schemaVersion"/,
  },
  'baseline from a newer leakhunt': { args: run('--baseline', 'v99.json'), message: /v99\.json: written by a newer leakhunt/ },
  'baseline of schema 0': { args: run('--baseline', 'v0.json'), message: /v0\.json: written with report schema 0/ },
  'baseline missing a field': {
    args: run('--baseline', 'missing-field.json'),
    message: /missing-field\.json: not a valid leakhunt report/,
  },
  'baseline a directory': { args: run('--baseline', 'proj'), message: /proj: is a directory/ },
  'baseline of bisect garbage': { args: ['bisect', 'sel.txt', '--baseline', 'garbage.json'], message: /garbage\.json: not JSON/ },
  // Selection files.
  'selection missing': { args: ['run', 'nope.txt'], message: /nope\.txt/ },
  'selection a directory': { args: ['run', 'proj'], message: /proj/ },
  'selection empty': { args: run(), files: withSelection(''), message: /sel\.txt/ },
  'selection of comments only': { args: run(), files: withSelection('# nothing\n\n'), message: /sel\.txt/ },
  'selection binary': {
    args: run(),
    files: withSelection(Buffer.from([0x70, 0, 0x01, 0x0a])),
    message: /sel\.txt: this looks like a binary file/,
  },
  'selection UTF-16': {
    args: run(),
    files: withSelection(Buffer.from('\ufeffproj/test_a.py\n', 'utf16le')),
    message: /sel\.txt: the file is UTF-16/,
  },
  'selection Latin-1': {
    args: run(),
    files: withSelection(Buffer.from('proj/test_\xe9.py\n', 'latin1')),
    message: /sel\.txt:1: the file is not valid UTF-8/,
  },
  'selection unknown directive': {
    args: run(),
    files: withSelection('proj/test_a.py\n@exclude x\n'),
    message: /sel\.txt:2: .*unknown directive "@exclude"/,
  },
  'selection lone !': { args: run(), files: withSelection('proj/test_a.py\n!\n'), message: /sel\.txt:2: .*"!" needs a path/ },
  'selection id ending in ::': { args: run(), files: withSelection('proj/test_a.py::\n'), message: /sel\.txt:1: .*ends with "::"/ },
  'selection id without a file': { args: run(), files: withSelection('::test_a\n'), message: /sel\.txt:1: .*has a node id but no file/ },
  'selection @include without a file': {
    args: run(),
    files: withSelection('@include\n'),
    message: /sel\.txt:1: .*"@include" needs a file name/,
  },
  'selection @include of a missing file': {
    args: run(),
    files: withSelection('@include other.txt\n'),
    message: /sel\.txt:1: .*other\.txt/,
  },
  'selection @include cycle': { args: run(), files: { 'sel.txt': '@include b.txt\n', 'b.txt': '@include sel.txt\n' }, message: /sel\.txt/ },
  'selection path that does not exist': {
    args: run(),
    files: withSelection('# tests\nproj/test_a.py\nproj/test_nope.py\n'),
    message: /sel\.txt:3: .*test_nope\.py/,
  },
  'selection glob that matches nothing': {
    args: run(),
    files: withSelection('proj/test_zzz*.py\n'),
    message: /sel\.txt:1: .*test_zzz\*\.py/,
  },
  'selection mixing pytest and jest': {
    args: run(),
    files: { 'sel.txt': 'proj/test_a.py\nproj/a.test.js\n', 'proj/a.test.js': 'test("a", () => {});\n' },
    message: /mixes Python tests .*sel\.txt:1.* and JavaScript tests .*sel\.txt:2/,
  },
  'selection with no runner to tell': {
    args: run(),
    files: { 'sel.txt': 'data/cases.txt\n', 'data/cases.txt': 'x\n' },
    message: /cannot tell which test runner/,
  },
  '--root that does not exist': { args: run('--root', 'nowhere'), message: /nowhere/ },
  // --out.
  '--out is a file': { args: run('--out', 'sel.txt'), message: /sel\.txt/ },
  '--out under /proc': { args: run('--out', '/proc/leakhunt-out'), message: /\/proc/ },
  // Commands and flags.
  'no command': { args: [], message: /Name a command/ },
  'unknown command': { args: ['hunt', 'sel.txt'], message: /Unknown argument: hunt|Did you mean/ },
  'unknown flag': { args: run('--batchsize', '3'), message: /Unknown argument: batchsize/ },
  'run without a selection': { args: ['run'], message: /Not enough non-option arguments/ },
  // report: never overwrite the report being read (or the baseline).
  'report of a missing file': { args: ['report', 'missing.json'], message: /missing\.json: no such file/ },
  'report of garbage': { args: ['report', 'garbage.json'], message: /garbage\.json: not JSON/ },
  'report -o its own input': { args: ['report', 'report.json', '-o', 'report.json'], message: /-o report\.json is the input report\.json/ },
  'report -o its own input by another path': {
    args: ['report', 'report.json', '-o', './proj/../report.json'],
    message: /-o \.\/proj\/\.\.\/report\.json is the input/,
  },
  'report -o a link to its input': {
    args: ['report', 'report.json', '-o', 'link.json'],
    files: { 'link.json': '->report.json' },
    message: /-o link\.json is the input report\.json/,
  },
  'report -o its baseline': {
    args: ['report', 'report.json', '--baseline', 'baseline.json', '-o', 'baseline.json'],
    message: /-o baseline\.json is the input baseline\.json/,
  },
  'report in an unknown format': { args: ['report', 'report.json', '--format', 'pdf'], message: /Invalid values:.*format.*pdf/ },
  'report with a garbage baseline': { args: ['report', 'report.json', '--baseline', 'garbage.json'], message: /garbage\.json: not JSON/ },
  'report -o into a missing directory': { args: ['report', 'report.json', '-o', 'no/such/dir/r.txt'], message: /no\/such\/dir/ },
  'report -o a directory': { args: ['report', 'report.json', '-o', 'proj'], message: /proj/ },
  // merge: -o and the views written beside it never replace an input.
  'merge without -o': { args: ['merge', 'report.json'], message: /Missing required argument: output/ },
  'merge -o one of its inputs': {
    args: ['merge', 'report.json', 'baseline.json', '-o', 'report.json'],
    message: /-o report\.json is the input report\.json/,
  },
  'merge views over an input': {
    args: ['merge', 'out/leakhunt-report.json', '-o', 'out/merged.json'],
    files: { 'out/leakhunt-report.json': '->../report.json' },
    message: /leakhunt-report\.json written beside -o .* is the input/,
  },
  'merge of garbage': { args: ['merge', 'garbage.json', '-o', 'merged.json'], message: /garbage\.json: not JSON/ },
  'merge with a garbage baseline': {
    args: ['merge', 'report.json', '-o', 'merged.json', '--baseline', 'garbage.json'],
    message: /garbage\.json: not JSON/,
  },
  // plan.
  'plan --shards 0': { args: ['plan', 'sel.txt', '--shards', '0'], message: /--shards/ },
  'plan matrix without --shards': { args: ['plan', 'sel.txt', '--format', 'github-matrix'], message: /github-matrix.*--shards|--shards/ },
  'plan in an unknown format': { args: ['plan', 'sel.txt', '--format', 'yaml'], message: /Invalid values:.*format.*yaml/ },
};

/** Every row starts from the same user files: these must come out unchanged. */
function makeRowDir(row: Row): string {
  const dir = mkdtempSync(join(SUITE_DIR, 'row-'));
  const files: Record<string, string | Buffer> = {
    'proj/pytest.ini': '[pytest]\n',
    'proj/test_a.py': 'def test_a():\n    pass\n',
    'sel.txt': 'proj/test_a.py\n',
    'out/leakhunt-report.json': '{"the user\'s": "earlier report"}\n',
    'out/notes.txt': "the user's own file\n",
    'report.json': readFileSync(join(REPORTS, 'hunt-pytest.json')),
    'baseline.json': readFileSync(join(REPORTS, 'baseline-pytest.json')),
    'missing-field.json': readFileSync(join(REPORTS, 'missing-field.json')),
    'v0.json': readFileSync(join(REPORTS, 'schema-v0.json')),
    'v99.json': readFileSync(join(REPORTS, 'schema-v99.json')),
    'garbage.json': '{"schemaVersion": 1, "batches": [',
    'array.json': '[]\n',
    'empty-object.json': '{}\n',
    ...row.files,
  };
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    rmSync(path, { force: true });
    if (typeof content === 'string' && content.startsWith('->')) symlinkSync(content.slice(2), path);
    else writeFileSync(path, content);
  }
  return dir;
}

/** Every file and directory under `dir` with its bytes: equal snapshots mean nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const seen: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) {
        seen[`${relative(dir, path)}/`] = 'dir';
        walk(path);
      } else seen[relative(dir, path)] = stat === undefined ? 'dangling' : readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return seen;
}

function argsOf(row: Row): string[] {
  const isHunt = row.args[0] === 'run' || row.args[0] === 'bisect';
  return isHunt && !row.args.some((arg) => arg === '--out' || arg.startsWith('--out=')) ? [...row.args, '--out', 'out'] : [...row.args];
}

describe("every bad input is refused before the first run, and nothing of the user's is changed", () => {
  it('has at least 80 rows', () => {
    expect(Object.keys(ROWS).length).toBeGreaterThanOrEqual(80);
  });

  it.concurrent.each(Object.entries(ROWS))(
    '%s',
    async (_name, row) => {
      const dir = makeRowDir(row);
      const before = snapshot(dir);
      const result = await execa(process.execPath, [CLI, ...argsOf(row)], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', NO_COLOR: '1' },
        extendEnv: false,
        reject: false,
        timeout: 60_000,
      });
      const stderr = String(result.stderr);
      const lines = stderr.trimEnd().split('\n');
      expect({ exit: result.exitCode, first: lines[0] }).toEqual({ exit: row.exit ?? 2, first: expect.stringMatching(/^leakhunt: /) });
      expect(lines[0]).toMatch(row.message);
      // One line, then at most a hint: no stack trace, no help text, no progress of a run.
      expect(lines.length).toBeLessThanOrEqual(2);
      if (lines[1] !== undefined) expect(lines[1]).toMatch(/^ {2}hint: /);
      expect(String(result.stdout)).toBe('');
      expect(snapshot(dir)).toEqual(before);
    },
    60_000,
  );
});
