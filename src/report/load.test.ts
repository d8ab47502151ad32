import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fixturePath } from '../../test/fixtures/reports/fixtures.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { UsageError } from '../errors.js';
import { loadReport, reportSchemaValidator } from './load.js';

const scratch = tempDir('leakhunt-load-');
function writeScratch(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(path: string): Promise<UsageError> {
  const error = await loadReport(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('docs/report.schema.json', () => {
  it('accepts every fixture report', async () => {
    const validate = await reportSchemaValidator();
    for (const name of ['hunt-pytest', 'baseline-pytest', 'many-batches']) {
      const report: unknown = JSON.parse(readFileSync(fixturePath(name), 'utf8'));
      expect({ name, ...validate(report) }).toEqual({ name, valid: true, errors: '' });
    }
  });

  it('rejects a report missing a required field, naming where', async () => {
    const validate = await reportSchemaValidator();
    const report = JSON.parse(readFileSync(fixturePath('hunt-pytest'), 'utf8')) as Record<string, unknown>;
    const { findings: _dropped, ...withoutFindings } = report;
    expect(validate(withoutFindings)).toEqual({ valid: false, errors: "/: must have required property 'findings'" });
    const runs = report['runs'] as Record<string, unknown>[];
    const brokenRun = { ...runs[0], verdict: { outcome: 'exploded', because: 'x', failingTests: [] } };
    expect(validate({ ...report, runs: [brokenRun] }).errors).toContain(
      '/runs/0/verdict/outcome: must be equal to one of the allowed values',
    );
  });
});

describe('loadReport', () => {
  it('reads a valid report', async () => {
    const report = await loadReport(fixturePath('hunt-pytest'));
    expect(report.batches).toHaveLength(5);
    expect(report.findings.map((f) => f.kind)).toEqual(['hog', 'hang', 'polluter', 'unresolved']);
  });

  it('says precisely why a schema 0 report cannot be upgraded', async () => {
    const error = await loadError(fixturePath('schema-v0'));
    expect(error.message).toBe(
      `${fixturePath('schema-v0')}: written with report schema 0, which this leakhunt (schema 1) cannot read: ` +
        'schema 0 was the pre-release format (before 0.1.0): runs carried no evidence or memory series, so there is nothing to convert them from',
    );
    expect(error.hint).toContain('re-run the hunt');
  });

  it('tells a newer report to upgrade leakhunt', async () => {
    const error = await loadError(fixturePath('schema-v99'));
    expect(error.message).toContain('written by a newer leakhunt (schema 99)');
    expect(error.message).toMatch(/upgrade$/);
  });

  it('names the missing fields of an invalid report', async () => {
    const error = await loadError(fixturePath('missing-field'));
    expect(error.message).toContain('missing-field.json: not a valid leakhunt report (schema 1): ');
    expect(error.message).toContain("/runs/0: must have required property 'evidence'");
  });

  it('names the file when it is missing, not JSON, or not a report', async () => {
    expect((await loadError(join(scratch, 'nope.json'))).message).toBe(`${join(scratch, 'nope.json')}: no such file`);
    expect((await loadError(writeScratch('cut.json', '{"schemaVersion": 1, "tool"'))).message).toMatch(/cut\.json: not JSON \(/);
    expect((await loadError(writeScratch('list.json', '[1,2]'))).message).toMatch(
      /list\.json: not a leakhunt report \(the JSON is not an object\)/,
    );
    expect((await loadError(writeScratch('other.json', '{"name":"x"}'))).message).toMatch(
      /other\.json: not a leakhunt report \(no integer "schemaVersion" field\)/,
    );
  });
});
