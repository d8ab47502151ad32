// leakhunt's JUnit XML against docs/junit.xsd (the Ant/Surefire format CI test UIs read), checked
// by a real validator, xmllint (Debian's libxml2-utils): every fixture report, the file a real
// hunt writes, and broken documents the schema must refuse, so a schema that accepts anything
// fails here too.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { renderJunit } from '../../src/reporters/junit.js';
import { FIXTURE_DIR, type FixtureName, fixtureReport, REPO_ROOT } from '../fixtures/reports/fixtures.js';
import { TOOLS_REQUIRED } from '../helpers/required-tools.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCHEMA = join(REPO_ROOT, 'docs', 'junit.xsd');
const FIXTURES: readonly FixtureName[] = ['hunt-pytest', 'hunt-probes', 'baseline-pytest', 'many-batches'];
const HAS_XMLLINT = spawnSync('xmllint', ['--version']).error === undefined;

// Missing xmllint skips these tests on a developer's machine, but fails them where .ci/run installs it.
const describeIfXmllint = HAS_XMLLINT || TOOLS_REQUIRED ? describe : describe.skip;
if (!HAS_XMLLINT && !TOOLS_REQUIRED)
  it.skip('JUnit schema e2e: no xmllint on this machine (apt-get install libxml2-utils)', () => undefined);

interface Validation {
  readonly valid: boolean;
  readonly errors: string;
}

/** Validates with `xmllint --noout --schema docs/junit.xsd`: exit 0 is valid, anything else is not. */
function validate(xml: string, name: string): Validation {
  expect(HAS_XMLLINT).toBe(true);
  const path = join(tempDir('leakhunt-junit-'), `${name}.xml`);
  writeFileSync(path, xml);
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, path], { encoding: 'utf8' });
  return { valid: result.status === 0, errors: result.stderr };
}

const fixtureXml = (name: FixtureName): string => renderJunit(fixtureReport(name), { color: false, width: 80, reportDir: FIXTURE_DIR });

describeIfXmllint('leakhunt JUnit XML against docs/junit.xsd', () => {
  it.each(FIXTURES)('validates the JUnit of the %s fixture report', (name) => {
    expect(validate(fixtureXml(name), name)).toEqual({ valid: true, errors: expect.stringContaining('validates') });
  });

  it('refuses a testcase without a name', () => {
    const xml = fixtureXml('hunt-pytest');
    const broken = xml.replace(/(<testcase classname="[^"]*") name="[^"]*"/, '$1');
    expect(broken).not.toBe(xml);
    const result = validate(broken, 'no-name');
    expect(result.valid).toBe(false);
    expect(result.errors).toMatch(/testcase.*attribute 'name' is required/);
  });

  it('refuses text in a count attribute', () => {
    const xml = fixtureXml('hunt-pytest');
    const broken = xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1 tests="five"');
    expect(broken).not.toBe(xml);
    const result = validate(broken, 'text-count');
    expect(result.valid).toBe(false);
    expect(result.errors).toMatch(/attribute 'tests'.*'five'/);
  });

  it('validates the JUnit a real hunt writes, with the batch that died as a failure', async () => {
    const outDir = tempDir('leakhunt-junit-hunt-');
    await execa('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, timeout: 180_000 });
    const hunt = await execa(
      'node',
      [
        'dist/cli/bin.js',
        'run',
        'test/fixtures/selections/cli/two-hogs.txt',
        '--batch-size',
        '8',
        '--memory',
        '180MiB',
        '--timeout',
        '20s',
        '--out',
        outDir,
      ],
      { cwd: REPO_ROOT, reject: false, timeout: 240_000, env: { NO_COLOR: '1' } },
    );
    // Two hogs: the hunt exits 1, as it should.
    expect(hunt.exitCode).toBe(1);
    const xml = readFileSync(join(outDir, 'leakhunt-report.xml'), 'utf8');
    expect(validate(xml, 'real-hunt')).toEqual({ valid: true, errors: expect.stringContaining('validates') });
    expect(xml).toMatch(/<failure message="batch 1 died: over-memory \([^)]+ of 180 MiB\)" type="over-memory">/);
    expect(xml).toContain('name="hog: ../../suites/pytest-two-hogs/tests/test_batch.py::test_load_catalogue"');
    expect(xml).toContain('name="hog: ../../suites/pytest-two-hogs/tests/test_batch.py::test_render_thumbnails"');
  }, 480_000);
});
