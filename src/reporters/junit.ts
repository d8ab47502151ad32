// JUnit XML, so CI test UIs list leakhunt's results beside the suite's own: one testcase per
// batch ("batch 7 died: over-memory (1.52 GiB of 1.50 GiB)" as a failure with the run's log
// tail) and one per finding (its evidence and repro). A warning-severity finding (seen in a
// batch that passed) is a PASSING testcase: CI UIs count it green, as the exit code does, and it
// carries its severity and text in <system-out>. The output must validate against
// docs/junit.xsd, the Ant/Surefire format that GitHub, GitLab, Jenkins and Azure readers accept:
// <testsuites> of <testsuite> of <testcase> with <failure message type> or <skipped>, counts on
// every suite, and no <properties> inside a testcase (that format has none).
import { XMLBuilder } from 'fast-xml-parser';
import type { Report, ReportedFinding } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import {
  accumulationText,
  type BatchRow,
  batchHeadline,
  batchRows,
  culpritText,
  isProblem,
  isWarning,
  type LeftoverRow,
  leftoverRows,
  underBudgetLabel,
} from './facts.js';
import { logTail } from './files.js';
import type { RenderOptions } from './options.js';

export const LOG_TAIL_LINES = 50;

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly timeMs: number;
  readonly failure?: { readonly message: string; readonly type: string; readonly body: string };
  readonly skipped?: string;
  readonly systemOut?: string;
}

export function renderJunit(report: Report, options: RenderOptions): string {
  const batchCases = batchRows(report).map((row) => batchCase(row, options));
  // Processes a test left behind (leakhunt killed them) are not failures: passing cases that say so.
  const findingCases = [...report.findings.map(findingCase), ...leftoverRows(report).map(leftoverCase)];
  const suites = [suite('leakhunt batches', batchCases, report), suite('leakhunt findings', findingCases, report)];
  const all = [...batchCases, ...findingCases];
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'leakhunt', ...counts(all, report.durationMs), testsuite: suites },
  };
  return BUILDER.build(document);
}

// The builder owns the structure and indentation; escapeXml owns the text, because the builder
// neither drops what XML 1.0 forbids (control characters in log tails) nor keeps newlines in
// attributes (parsers fold a raw one to a space), so its own entity pass is off.
const BUILDER = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: false,
});

type XmlNode = Record<string, unknown>;

function batchCase(row: BatchRow, options: RenderOptions): Case {
  const base = { classname: 'leakhunt.batches', name: `batch ${row.index} (${row.testCount} tests)`, timeMs: row.durationMs ?? 0 };
  if (row.outcome === 'not run') return { ...base, skipped: row.because };
  if (!isProblem(row.outcome)) return base;
  const tail = logTail(options, row.logPath, LOG_TAIL_LINES);
  const body = [
    row.because,
    '',
    'tests, in run order:',
    ...row.batch.tests.map((test) => `  ${test}`),
    ...(tail === undefined
      ? []
      : [
          '',
          `last ${LOG_TAIL_LINES} lines of ${row.logPath ?? 'the log'}${row.run?.logCutBytes === undefined ? '' : ` (${formatBytes(row.run.logCutBytes)} cut from its middle by --log-limit)`}:`,
          tail,
        ]),
  ].join('\n');
  return { ...base, failure: { message: batchHeadline(row), type: row.outcome, body } };
}

function leftoverCase(row: LeftoverRow): Case {
  const count = row.commands.length;
  return {
    classname: 'leakhunt.leftovers',
    name: `${row.test} left ${count} process${count === 1 ? '' : 'es'} behind`,
    timeMs: 0,
    systemOut: [
      `still running after ${row.attributed ? 'the test ended' : 'the run ended'}; leakhunt killed ${count === 1 ? 'it' : 'them'}:`,
      ...row.commands.map((command) => `  ${command}`),
      `runs: ${row.runIds.join(', ')}`,
    ].join('\n'),
  };
}

function findingCase(finding: ReportedFinding): Case {
  const body = [
    finding.because,
    ...(finding.confidence === undefined ? [] : [finding.confidence]),
    ...(finding.accumulation === undefined ? [] : [`fit: ${accumulationText(finding.accumulation)}`]),
    ...(finding.stack === undefined ? [] : [`hung at: ${finding.stack}`]),
    '',
    `repro: ${finding.repro}`,
    ...(finding.reproNote === undefined ? [] : [finding.reproNote]),
    ...(finding.reproUnderBudget === undefined ? [] : [`${underBudgetLabel(finding)}: ${finding.reproUnderBudget}`]),
  ].join('\n');
  const base = { classname: `leakhunt.findings.${finding.kind}`, name: `${finding.kind}: ${culpritText(finding)}`, timeMs: 0 };
  if (isWarning(finding)) {
    const severity = `severity: warning (seen in batch ${finding.batchIndex}, which passed; the exit code ignores it)`;
    return { ...base, name: `warning: ${base.name}`, systemOut: [severity, body].join('\n') };
  }
  return { ...base, failure: { message: `${finding.kind} in batch ${finding.batchIndex}: ${finding.because}`, type: finding.kind, body } };
}

function suite(name: string, cases: readonly Case[], report: Report): XmlNode {
  const timeMs = cases.reduce((sum, c) => sum + c.timeMs, 0);
  // Jenkins' schema wants a timestamp without zone; ISO without the "Z" and milliseconds.
  const timestamp = report.startedAt.replace(/\.\d+Z?$|Z$/, '');
  const properties = [
    ['runner', report.runner.version ?? report.runner.name],
    ['memoryBudgetBytes', String(report.budget.memoryBytes)],
    ['timeoutMs', String(report.budget.timeoutMs)],
    ['backend', report.environment.backend],
    ['status', report.status],
  ].map(([key, value]) => ({ '@_name': escapeAttribute(key ?? ''), '@_value': escapeAttribute(value ?? '') }));
  return {
    '@_name': escapeAttribute(name),
    ...counts(cases, timeMs),
    '@_timestamp': escapeAttribute(timestamp),
    properties: { property: properties },
    ...(cases.length === 0 ? {} : { testcase: cases.map(testcase) }),
  };
}

function counts(cases: readonly Case[], timeMs: number): XmlNode {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  return {
    '@_tests': String(cases.length),
    '@_failures': String(failures),
    '@_errors': '0',
    '@_skipped': String(skipped),
    '@_time': seconds(timeMs),
  };
}

function testcase(c: Case): XmlNode {
  // Order matters to the schema: the outcome (at most one), then system-out.
  return {
    '@_classname': escapeAttribute(c.classname),
    '@_name': escapeAttribute(c.name),
    '@_time': seconds(c.timeMs),
    ...(c.failure === undefined
      ? {}
      : {
          failure: {
            '@_message': escapeAttribute(c.failure.message),
            '@_type': escapeAttribute(c.failure.type),
            '#text': escapeXml(c.failure.body),
          },
        }),
    ...(c.skipped === undefined ? {} : { skipped: { '@_message': escapeAttribute(c.skipped) } }),
    ...(c.systemOut === undefined ? {} : { 'system-out': escapeXml(c.systemOut) }),
  };
}

/** Attribute values: newlines and tabs as character references, or parsers fold them to spaces. */
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Escapes for text and attributes, and drops what XML 1.0 forbids outright (ANSI escapes and
 * other control characters from logs), since one such byte makes the whole file unreadable.
 */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
  );
}
