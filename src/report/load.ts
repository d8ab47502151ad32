// Reads a report file for re-rendering (`leakhunt report <json>`) or as a baseline, and decides
// whether this leakhunt can use it: readable, JSON, a leakhunt report, a schema version it
// knows (upgrading older ones where an upgrade exists), valid against docs/report.schema.json.
// Every refusal is a UsageError naming the file and saying precisely what is wrong.
import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UsageError } from '../errors.js';
import { type Report, SCHEMA_VERSION } from './model.js';

const SCHEMA_URL = new URL('../../docs/report.schema.json', import.meta.url);

/**
 * How to lift a report of schema N to N + 1. Empty while schema 1 is the only released one;
 * a change that bumps SCHEMA_VERSION adds its step here (or to NO_UPGRADE, saying why).
 */
const UPGRADES: Readonly<Record<number, (report: Record<string, unknown>) => Record<string, unknown>>> = {};

/** Versions that cannot be upgraded, with the reason people read. */
const NO_UPGRADE: Readonly<Record<number, string>> = {
  0: 'schema 0 was the pre-release format (before 0.1.0): runs carried no evidence or memory series, so there is nothing to convert them from',
};

export async function loadReport(path: string): Promise<Report> {
  const text = await readReportText(path);
  const data = parseJson(path, text);
  const upgraded = upgrade(path, data);
  const validate = await compiledSchema();
  if (!validate(upgraded)) {
    throw new UsageError(
      `${path}: not a valid leakhunt report (schema ${SCHEMA_VERSION}): ${describeErrors(validate.errors)}`,
      'the file was edited or truncated; re-run the hunt, or re-render from an intact copy',
    );
  }
  return upgraded as unknown as Report;
}

async function readReportText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`;
    throw new UsageError(`${path}: ${what}`, 'pass the leakhunt-report.json a hunt wrote (default .leakhunt/leakhunt-report.json)');
  }
}

function parseJson(path: string, text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(
      `${path}: not JSON (${(error as Error).message})`,
      'the file may be truncated: was the hunt killed while writing it?',
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${path}: not a leakhunt report (the JSON is not an object)`, 'pass the leakhunt-report.json a hunt wrote');
  }
  return data as Record<string, unknown>;
}

/** Brings an older report up to SCHEMA_VERSION, or says why it cannot. */
function upgrade(path: string, data: Record<string, unknown>): Record<string, unknown> {
  const version = data['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new UsageError(`${path}: not a leakhunt report (no integer "schemaVersion" field)`, 'pass the leakhunt-report.json a hunt wrote');
  }
  if (version > SCHEMA_VERSION) {
    throw new UsageError(
      `${path}: written by a newer leakhunt (schema ${version}); this one reads schema ${SCHEMA_VERSION}: upgrade`,
      'npm install -D leakhunt@latest',
    );
  }
  let current = data;
  for (let from = version; from < SCHEMA_VERSION; from += 1) {
    const step = UPGRADES[from];
    if (step === undefined) {
      const why = NO_UPGRADE[from] ?? `no upgrade from schema ${from} exists`;
      throw new UsageError(
        `${path}: written with report schema ${version}, which this leakhunt (schema ${SCHEMA_VERSION}) cannot read: ${why}`,
        're-run the hunt with this leakhunt to get a current report',
      );
    }
    current = { ...step(current), schemaVersion: from + 1 };
  }
  return current;
}

let schemaPromise: Promise<ValidateFunction> | undefined;

function compiledSchema(): Promise<ValidateFunction> {
  schemaPromise ??= readFile(SCHEMA_URL, 'utf8').then((text) => {
    // Formats (date-time) are documentation here: a report is not refused over a timestamp's style.
    const ajv = new Ajv2020({ allErrors: true, validateFormats: false });
    return ajv.compile(JSON.parse(text) as object);
  });
  return schemaPromise;
}

/** "/batches/0: must have required property 'verdict'; …" (at most three, then a count). */
function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const shown = list.slice(0, 3).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
  const more = list.length > 3 ? ` (and ${list.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** The schema as an object, for tools and tests that validate reports themselves. */
export async function reportSchemaValidator(): Promise<(value: unknown) => { valid: boolean; errors: string }> {
  const validate = await compiledSchema();
  return (value) => ({ valid: validate(value), errors: describeErrors(validate.errors) });
}
