import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type JunitCase, nodeIdOfCase, pytestResults, readJunitCases } from './pytest-junit.js';

// Captured from pytest 9.0.3: tests/test_mixed.py (pass, fail, fixture error, skip, xfail,
// nested class, parametrized class method) and tests/sub.dir/test_dotted.py.
const mixedXml = readFileSync(new URL('./__fixtures__/pytest-mixed.xml', import.meta.url), 'utf8');
// tests/test_mixed.py::test_pass + tests/test_broken_import.py (ImportError), exit 2.
const collectionErrorXml = readFileSync(new URL('./__fixtures__/pytest-collection-error.xml', import.meta.url), 'utf8');

const noFiles = (): boolean => false;

describe('nodeIdOfCase', () => {
  const runFiles = ['tests/test_mixed.py', 'tests/sub.dir/test_dotted.py'];

  it('maps a module-level test back to its node id', () => {
    expect(nodeIdOfCase({ classname: 'tests.test_mixed', name: 'test_pass' }, runFiles, noFiles)).toBe('tests/test_mixed.py::test_pass');
  });

  it('keeps classes and parameters, even parameters with dots and colons', () => {
    const testcase = { classname: 'tests.test_x.TestX', name: 'test_y[1.5::a b]' };
    expect(nodeIdOfCase(testcase, ['tests/test_x.py'], noFiles)).toBe('tests/test_x.py::TestX::test_y[1.5::a b]');
  });

  it('keeps nested classes', () => {
    const testcase = { classname: 'tests.test_mixed.TestGroup.TestInner', name: 'test_nested' };
    expect(nodeIdOfCase(testcase, runFiles, noFiles)).toBe('tests/test_mixed.py::TestGroup::TestInner::test_nested');
  });

  it('finds a file in a directory whose name has a dot, from the files of the run', () => {
    const testcase = { classname: 'tests.sub.dir.test_dotted', name: 'test_in_dotted_dir' };
    expect(nodeIdOfCase(testcase, runFiles, noFiles)).toBe('tests/sub.dir/test_dotted.py::test_in_dotted_dir');
  });

  it('prefers the longest matching file of the run', () => {
    const testcase = { classname: 'tests.a.test_b', name: 'test_c' };
    expect(nodeIdOfCase(testcase, ['tests/a.py', 'tests/a/test_b.py'], noFiles)).toBe('tests/a/test_b.py::test_c');
  });

  it('maps a collection error (empty classname) to the file', () => {
    const testcase = { classname: '', name: 'tests.test_broken_import' };
    expect(nodeIdOfCase(testcase, ['tests/test_broken_import.py'], noFiles)).toBe('tests/test_broken_import.py');
  });

  it('looks for real files when the run named a directory', () => {
    const exists = (path: string): boolean => path === 'tests/billing/test_invoices.py';
    const testcase = { classname: 'tests.billing.test_invoices.TestInvoices', name: 'test_numbering' };
    expect(nodeIdOfCase(testcase, ['tests/billing'], exists)).toBe('tests/billing/test_invoices.py::TestInvoices::test_numbering');
  });

  it('guesses that capitalised parts are classes when no file matches', () => {
    const testcase = { classname: 'tests.gone.test_old.TestOld', name: 'test_it' };
    expect(nodeIdOfCase(testcase, [], noFiles)).toBe('tests/gone/test_old.py::TestOld::test_it');
  });
});

describe('readJunitCases', () => {
  it('reads every case of a real pytest 9 report, errors and failures both failing', () => {
    const cases = readJunitCases(mixedXml);
    expect(cases.map((testcase) => `${testcase.name}:${testcase.state}`)).toEqual([
      'test_pass:passed',
      'test_fail:failed',
      'test_error:failed',
      'test_skip:skipped',
      'test_xfail:skipped',
      'test_nested:failed',
      'test_param[a b]:passed',
      'test_param[x::y]:failed',
      'test_param[[1]]:passed',
      'test_in_dotted_dir:failed',
    ]);
  });

  it('reads a bare <testsuite> root as older pytest writes it', () => {
    const xml = '<testsuite tests="1"><testcase classname="tests.test_a" name="test_b"><failure message="x"/></testcase></testsuite>';
    expect(readJunitCases(xml)).toEqual([{ classname: 'tests.test_a', name: 'test_b', state: 'failed' }]);
  });
});

describe('pytestResults', () => {
  it('reads every test erroring in setup with one error that names none of their files as a shared start failure', () => {
    // Captured from pytest 9.0.3: a session fixture in tests/conftest.py raises; 4 files of one test.
    const xml = readFileSync(new URL('./__fixtures__/pytest-session-fixture-raises.xml', import.meta.url), 'utf8');
    const ids = (c: JunitCase): string => `tests/${c.classname}.py::${c.name}`;
    const results = pytestResults(readJunitCases(xml), 1, ids);
    expect(results.failing).toHaveLength(4);
    expect(results.sharedStartFailure).toBe('ConnectionError: database at localhost:5432 refused the connection (at conftest.py:6)');
    // The same error from a fixture in a test file names that file: the file's own, not shared.
    const own = xml.replaceAll('conftest.py:6', 'test_a.py:6');
    expect(pytestResults(readJunitCases(own), 1, ids).sharedStartFailure).toBeUndefined();
    // One test that ran and passed: not every test failed before running.
    const onePassed = xml.replace(/<error message="failed on setup[\s\S]*?<\/error>/, '');
    expect(pytestResults(readJunitCases(onePassed), 1, ids).sharedStartFailure).toBeUndefined();
  });

  const runFiles = ['tests/test_mixed.py', 'tests/sub.dir/test_dotted.py', 'tests/test_broken_import.py'];
  const nodeIdOf = (testcase: JunitCase): string => nodeIdOfCase(testcase, runFiles, noFiles);

  it('names failing and erroring tests in run order and counts the rest', () => {
    expect(pytestResults(readJunitCases(mixedXml), 1, nodeIdOf)).toEqual({
      collected: 10,
      failing: [
        'tests/test_mixed.py::test_fail',
        'tests/test_mixed.py::test_error',
        'tests/test_mixed.py::TestGroup::TestInner::test_nested',
        'tests/test_mixed.py::TestGroup::test_param[x::y]',
        'tests/sub.dir/test_dotted.py::test_in_dotted_dir',
      ],
      passed: 3,
      skipped: 2,
      startError: undefined,
    });
  });

  it('reports a collection error (exit 2) as a failing file, not a start error', () => {
    const results = pytestResults(readJunitCases(collectionErrorXml), 2, nodeIdOf);
    expect(results.failing).toEqual(['tests/test_broken_import.py']);
    expect(results.startError).toBeUndefined();
    expect(results.collected).toBe(1);
  });

  it('reads exit 5 as nothing collected', () => {
    expect(pytestResults(undefined, 5, nodeIdOf)).toMatchObject({ collected: 0, failing: [], startError: undefined });
  });

  it('reads exit 4 as pytest refusing the arguments', () => {
    expect(pytestResults(undefined, 4, nodeIdOf).startError).toBe(
      'pytest refused the arguments (exit 4): unknown option or missing file/node id — see the log',
    );
  });

  it('reads exit 3 as an internal error that stops the run', () => {
    expect(pytestResults(undefined, 3, nodeIdOf).startError).toMatch(/internal error \(exit 3\)/);
  });

  it('says nothing about tests when a signal ended pytest before it wrote the report', () => {
    expect(pytestResults(undefined, undefined, nodeIdOf)).toEqual({
      collected: undefined,
      failing: [],
      passed: 0,
      skipped: 0,
      startError: undefined,
    });
  });

  it('treats exit 1 without any report as pytest failing to start', () => {
    expect(pytestResults(undefined, 1, nodeIdOf).startError).toMatch(/exited 1 without writing its JUnit report/);
  });

  it('does not call a run passed when pytest exits 0 without its report, as after a test calls os._exit(0)', () => {
    expect(pytestResults(undefined, 0, nodeIdOf).startError).toMatch(/exited 0 without writing its JUnit report.*os\._exit\(0\)/);
  });

  it('counts a test reported twice (failure, then teardown error) once, as failing', () => {
    const cases: JunitCase[] = [
      { classname: 'tests.test_mixed', name: 'test_a', state: 'passed' },
      { classname: 'tests.test_mixed', name: 'test_a', state: 'failed' },
    ];
    expect(pytestResults(cases, 1, nodeIdOf)).toMatchObject({ collected: 1, failing: ['tests/test_mixed.py::test_a'], passed: 0 });
  });
});
