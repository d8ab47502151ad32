// Reads pytest's JUnit XML and its exit code into TestResults. Pure: the XML text, the
// exit code and a way to tell whether a file exists come in; nothing is read here.
//
// JUnit loses the node id: pytest writes `tests/test_x.py::TestX::test_y[1]` as
// classname "tests.test_x.TestX" + name "test_y[1]" (path separators become dots, ".py"
// is dropped). Going back needs to know which dotted prefix is the file, so we match it
// against the test files of the run first, then against real files, then guess.
import { XMLParser } from 'fast-xml-parser';
import type { TestId } from '../plan/types.js';
import type { TestResults } from './types.js';

export type CaseState = 'passed' | 'failed' | 'skipped';

export interface JunitCase {
  /** Dotted module path plus classes; "" for a collection error. */
  readonly classname: string;
  /** Test function with its parameters ("test_y[1]"); the dotted module for a collection error. */
  readonly name: string;
  /** A <failure> or an <error> (setup, teardown, collection) both count as failed. */
  readonly state: CaseState;
  /** An <error> "failed on setup with …": its message and text (the traceback), for sharedSetupError. */
  readonly setupError?: { readonly message: string; readonly text: string };
}

/** pytest's exit codes (pytest.ExitCode), as documented in docs/runners.md. */
const PYTEST_EXIT = { internalError: 3, usageError: 4, noTestsCollected: 5 } as const;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

interface XmlCase {
  classname?: string;
  name?: string;
  failure?: unknown[];
  error?: (string | { message?: string; '#text'?: string })[];
  skipped?: unknown[];
}
interface XmlSuite {
  testcase?: XmlCase[];
}

/** Every <testcase> of the report, in file order (which is run order). */
export function readJunitCases(xml: string): JunitCase[] {
  const document = parser.parse(xml) as { testsuites?: { testsuite?: XmlSuite[] }; testsuite?: XmlSuite[] };
  // pytest ≥ 5.1 wraps the suite in <testsuites>; older ones write a bare <testsuite>.
  const suites = document.testsuites?.testsuite ?? document.testsuite ?? [];
  return suites.flatMap((suite) => (suite.testcase ?? []).map(toCase));
}

function toCase(testcase: XmlCase): JunitCase {
  const failed = (testcase.failure?.length ?? 0) > 0 || (testcase.error?.length ?? 0) > 0;
  const skipped = (testcase.skipped?.length ?? 0) > 0;
  const [error] = testcase.error ?? [];
  const setupError =
    typeof error === 'object' && error.message?.startsWith('failed on setup with ') === true
      ? { message: error.message, text: String(error['#text'] ?? '') }
      : undefined;
  return {
    classname: String(testcase.classname ?? ''),
    name: String(testcase.name ?? ''),
    state: failed ? 'failed' : skipped ? 'skipped' : 'passed',
    ...(setupError !== undefined && { setupError }),
  };
}

/**
 * Every test errored in its setup with one and the same error whose traceback names none of
 * the tests' files: a fixture every test uses (a session fixture in conftest.py) is broken,
 * not the tests. One line: "ConnectionError: database refused the connection (at conftest.py:6)".
 * A fixture defined in a test file is in its own traceback, and never counts.
 */
function sharedSetupError(cases: readonly JunitCase[], ids: readonly TestId[]): string | undefined {
  const [first] = cases;
  const shared = first?.setupError;
  if (shared === undefined) return undefined;
  if (!cases.every((c) => c.setupError?.message === shared.message && c.setupError.text === shared.text)) return undefined;
  const files = new Set(ids.map((id) => id.split('::')[0]!.split('/').pop()!));
  if ([...files].some((file) => shared.text.includes(file) || shared.message.includes(file))) return undefined;
  const error = shared.message.replace(/^failed on setup with "/, '').replace(/"$/, '');
  const where = /^([^\s:]+\.py:\d+): /m.exec(shared.text.trim().split('\n').at(-1) ?? '')?.[1];
  const short = error.length > 200 ? `${error.slice(0, 199)}…` : error;
  return where === undefined ? short : `${short} (at ${where})`;
}

/** "tests/sub.dir/test_x.py" → "tests.sub.dir.test_x", as pytest's junitxml mangles it. */
export function dottedModule(file: string): string {
  return file.replace(/\.py$/, '').replaceAll('/', '.');
}

/**
 * The node id pytest would print for a JUnit case.
 * @param runFiles test files of the run (node ids' file parts), relative to the project
 * @param fileExists whether a path relative to the project is a real file
 */
export function nodeIdOfCase(
  testcase: Pick<JunitCase, 'classname' | 'name'>,
  runFiles: readonly string[],
  fileExists: (relativePath: string) => boolean,
): TestId {
  // A collection error names the module, not a test: blame the file.
  const dotted = testcase.classname === '' ? testcase.name : testcase.classname;
  const found = fileOfDotted(dotted, runFiles) ?? probeFileOfDotted(dotted, fileExists) ?? guessFileOfDotted(dotted);
  if (testcase.classname === '') return found.file;
  return [found.file, ...found.classes, testcase.name].join('::');
}

interface FileAndClasses {
  readonly file: string;
  readonly classes: readonly string[];
}

function splitAfter(dotted: string, prefix: string): readonly string[] {
  return dotted.length === prefix.length ? [] : dotted.slice(prefix.length + 1).split('.');
}

// The longest file of the run whose dotted form is a prefix: handles dots in directory names.
function fileOfDotted(dotted: string, runFiles: readonly string[]): FileAndClasses | undefined {
  let best: { file: string; prefix: string } | undefined;
  for (const file of runFiles) {
    if (!file.endsWith('.py')) continue; // a directory entry says nothing about its files
    const prefix = dottedModule(file);
    const matches = dotted === prefix || dotted.startsWith(`${prefix}.`);
    if (matches && (best === undefined || prefix.length > best.prefix.length)) best = { file, prefix };
  }
  return best && { file: best.file, classes: splitAfter(dotted, best.prefix) };
}

// Tests run by directory: try "a/b/c.py", then "a/b.py", … against the real tree.
function probeFileOfDotted(dotted: string, fileExists: (path: string) => boolean): FileAndClasses | undefined {
  const parts = dotted.split('.');
  for (let cut = parts.length; cut >= 1; cut -= 1) {
    const file = `${parts.slice(0, cut).join('/')}.py`;
    if (fileExists(file)) return { file, classes: parts.slice(cut) };
  }
  return undefined;
}

// Nothing matched (file deleted since?): classes are conventionally capitalised, modules not.
function guessFileOfDotted(dotted: string): FileAndClasses {
  const parts = dotted.split('.');
  const firstClass = parts.findIndex((part, index) => index > 0 && /^[A-Z]/.test(part));
  const cut = firstClass === -1 ? parts.length : firstClass;
  return { file: `${parts.slice(0, cut).join('/')}.py`, classes: parts.slice(cut) };
}

/**
 * TestResults from what pytest left behind.
 * @param cases the JUnit cases, or undefined when no report was written (killed, or pytest
 *   stopped before running anything)
 * @param exitCode pytest's exit code; undefined when a signal ended it
 * @param nodeIdOf maps a case to its node id (see nodeIdOfCase)
 */
export function pytestResults(
  cases: readonly JunitCase[] | undefined,
  exitCode: number | undefined,
  nodeIdOf: (testcase: JunitCase) => TestId,
): TestResults {
  const startError = pytestStartError(cases, exitCode);
  if (startError !== undefined) return { collected: undefined, failing: [], passed: 0, skipped: 0, startError };
  if (exitCode === PYTEST_EXIT.noTestsCollected) {
    return { collected: 0, failing: [], passed: 0, skipped: 0, startError: undefined };
  }
  if (cases === undefined) return { collected: undefined, failing: [], passed: 0, skipped: 0, startError: undefined };
  const ids = cases.map(nodeIdOf);
  const results = summarise(cases.map((testcase, index) => ({ id: ids[index]!, state: testcase.state })));
  const shared = sharedSetupError(cases, ids);
  return shared === undefined ? results : { ...results, sharedStartFailure: shared };
}

function pytestStartError(cases: readonly JunitCase[] | undefined, exitCode: number | undefined): string | undefined {
  if (exitCode === PYTEST_EXIT.usageError) {
    return 'pytest refused the arguments (exit 4): unknown option or missing file/node id — see the log';
  }
  if (exitCode === PYTEST_EXIT.internalError) {
    return 'pytest stopped with an internal error (exit 3): a plugin or conftest hook raised — see the log';
  }
  // Exit 1 or 2 and no report: pytest ended before it could write one. A plugin that
  // cannot be imported does that; so does a test calling os._exit(). The log tells which.
  if (cases === undefined && (exitCode === 1 || exitCode === 2)) {
    return `pytest exited ${exitCode} without writing its JUnit report: it failed to start (plugin or conftest error) or a test called os._exit() — see the log`;
  }
  // Exit 0 always comes with the report (pytest writes it at session end): without one, a
  // test called os._exit(0) and the tests after it never ran. That is not a pass.
  if (cases === undefined && exitCode === 0) {
    return 'pytest exited 0 without writing its JUnit report: a test called os._exit(0), so the tests after it never ran — see the log';
  }
  return undefined;
}

// A test reported twice (a failure plus a teardown error) is one test, failing.
function summarise(outcomes: readonly { id: TestId; state: CaseState }[]): TestResults {
  const stateById = new Map<TestId, CaseState>();
  for (const { id, state } of outcomes) {
    if (stateById.get(id) !== 'failed') stateById.set(id, state);
  }
  const ids = [...stateById.keys()];
  return {
    // A collection error counts as one collected entry: the batch did not "collect nothing".
    collected: ids.length,
    failing: ids.filter((id) => stateById.get(id) === 'failed'),
    passed: ids.filter((id) => stateById.get(id) === 'passed').length,
    skipped: ids.filter((id) => stateById.get(id) === 'skipped').length,
    startError: undefined,
  };
}
