import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { createGenericRunner, expandTemplate, parseCommandTemplate } from './generic.js';

describe('parseCommandTemplate', () => {
  it('splits the template into words as a shell would, quotes included', () => {
    expect(parseCommandTemplate(`python -m mytool --name "two words" {tests}`)).toEqual({
      words: ['python', '-m', 'mytool', '--name', 'two words', '{tests}'],
      perTest: false,
    });
  });

  it('marks {test} templates as one test per run', () => {
    expect(parseCommandTemplate('node bin/t.js --file={test}').perTest).toBe(true);
  });

  it.each([
    ['a pipe', 'pytest {tests} | tee log', /without a shell: the operator \|/],
    ['&&', 'make && pytest {tests}', /the operator &&/],
    ['a redirection', 'pytest {tests} > out.txt', /the operator >/],
    ['a variable', 'pytest $PYTEST_ARGS {tests}', /\$PYTEST_ARGS/],
    ['a braced variable', 'pytest ${ARGS} {tests}', /\$ARGS/],
    ['a glob', 'pytest tests/*.py {tests}', /the glob tests\/\*\.py/],
    ['a comment', 'pytest {tests} # all', /a comment/],
  ])('refuses %s because it needs a shell', (_what, cmd, message) => {
    expect(() => parseCommandTemplate(cmd)).toThrow(UsageError);
    expect(() => parseCommandTemplate(cmd)).toThrow(message);
  });

  it('refuses a template with no placeholder', () => {
    expect(() => parseCommandTemplate('pytest -q')).toThrow('has no {tests} or {test} placeholder');
  });

  it('refuses {tests} inside a word, since it becomes several arguments', () => {
    expect(() => parseCommandTemplate('tool --files={tests}')).toThrow('{tests} must be a word of its own');
  });

  it('refuses an empty template and a template with both placeholders', () => {
    expect(() => parseCommandTemplate('   ')).toThrow('--cmd is empty');
    expect(() => parseCommandTemplate('tool {test} {tests}')).toThrow('uses both');
  });

  it('keeps a quoted $ literal, as the shell would', () => {
    expect(parseCommandTemplate(`tool '$HOME' {tests}`).words).toEqual(['tool', '$HOME', '{tests}']);
  });
});

describe('expandTemplate', () => {
  it('turns {tests} into one argument per test, spaces and all', () => {
    const template = parseCommandTemplate('node bin/t.js --ci {tests} --end');
    expect(expandTemplate(template, ['a b.js', 'c.js'])).toEqual(['node', 'bin/t.js', '--ci', 'a b.js', 'c.js', '--end']);
  });

  it('puts the one test where {test} stands, even inside a word', () => {
    expect(expandTemplate(parseCommandTemplate('tool --file={test}'), ['x.py'])).toEqual(['tool', '--file=x.py']);
  });

  it('refuses a batch of several tests for a {test} template, naming them', () => {
    const template = parseCommandTemplate('tool {test}');
    expect(() => expandTemplate(template, ['a.py', 'b.py'])).toThrow('runs one test at a time, but was given 2: a.py, b.py');
  });
});

describe('generic preset', () => {
  const runner = createGenericRunner({ projectDir: '/p', cmd: 'python -m mytool {tests}' });

  it('builds argv without a results file and reports no per-test results', async () => {
    expect(runner.command(['t1', 't2'], '/tmp/ignored')).toEqual({ argv: ['python', '-m', 'mytool', 't1', 't2'], env: {} });
    expect(await runner.readResults('/tmp/ignored', 1)).toEqual({
      collected: undefined,
      failing: [],
      passed: 0,
      skipped: 0,
      startError: undefined,
    });
    expect(await runner.version()).toBeUndefined();
  });

  it('writes a repro line that quotes test ids', () => {
    expect(runner.reproCommand(['tests/a.py::test_x[a b]'])).toBe("python -m mytool 'tests/a.py::test_x[a b]'");
  });

  it('chains one command per test for {test} templates', () => {
    const perTest = createGenericRunner({ projectDir: '/p', cmd: 'tool {test}' });
    expect(perTest.reproCommand(['a', 'b'])).toBe('tool a && tool b');
  });
});
