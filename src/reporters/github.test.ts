import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { escapeData, escapeProperty, renderGithub, shouldEmitAnnotations } from './github.js';
import { findTestLine } from './test-location.js';

const hunt = fixtureReport('hunt-pytest');

function annotations(text: string): { level: string; props: Record<string, string>; message: string }[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
      if (!match) throw new Error(`not an annotation: ${line}`);
      const props = Object.fromEntries((match[2] ?? '').split(',').map((pair) => pair.split('=') as [string, string]));
      return { level: match[1] ?? '', props, message: match[3] ?? '' };
    });
}

describe('renderGithub', () => {
  it('points each culprit at its definition, relative to the repository root', () => {
    const lines = annotations(renderGithub(hunt, { color: false, width: 80 }));
    const where = lines.map((a) => `${a.level} ${a.props['file']}:${a.props['line']}`);
    expect(where).toEqual([
      'error test/fixtures/reports/project/tests/test_memory.py:10',
      'error test/fixtures/reports/project/tests/test_network.py:22',
      'error test/fixtures/reports/project/tests/test_state.py:7',
      'notice test/fixtures/reports/project/tests/test_state.py:15',
      // The unresolved finding's set is not narrowed: one annotation on no file, none per test.
      'warning undefined:undefined',
    ]);
    expect(lines.at(-1)?.props['title']).toBe('leakhunt%3A unresolved (batch 5)%3A not narrowed%3A smallest failing set found');
  });

  it('escapes titles and messages per GitHub rules', () => {
    const [hog] = annotations(renderGithub(hunt, { color: false, width: 80 }));
    expect(hog?.props['title']).toBe('leakhunt%3A hog test_big_alloc (batch 2)');
    expect(hog?.message).toContain('%0Arepro: python -m pytest tests/test_memory.py::test_big_alloc');
    expect(hog?.message).not.toContain('\n');
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('is relative to repoRoot when the project is a subfolder of it', () => {
    const text = renderGithub(hunt, { color: false, width: 80, repoRoot: `${hunt.runner.projectDir}/..` });
    expect(annotations(text)[0]?.props['file']).toBe('project/tests/test_memory.py');
  });

  it('annotates a failing batch without findings, and leaves out the line when the file is unreadable', () => {
    const bare = { ...hunt, findings: [], batches: hunt.batches.map((b) => ({ ...b, hunts: [] })) };
    const lines = annotations(renderGithub(bare, { color: false, width: 80 }));
    expect(lines.map((a) => a.props['title'])).toEqual([
      'leakhunt%3A batch 2 died%3A over-memory (301 MiB of 300 MiB)',
      'leakhunt%3A batch 3 died%3A timeout (20.0 s)',
      'leakhunt%3A batch 4 failed%3A failed (45.8 MiB of 300 MiB)',
      'leakhunt%3A batch 5 died%3A crashed (139 MiB of 300 MiB)',
    ]);
    const unreadable = annotations(renderGithub(hunt, { color: false, width: 80, readText: () => undefined }));
    expect(unreadable[0]?.props).toEqual({
      file: 'test/fixtures/reports/project/tests/test_memory.py',
      title: 'leakhunt%3A hog test_big_alloc (batch 2)',
    });
  });

  it('is emitted only inside GitHub Actions', () => {
    expect(shouldEmitAnnotations({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(shouldEmitAnnotations({})).toBe(false);
  });
});

describe('findTestLine', () => {
  const python = [
    'class TestA:',
    '    def test_x(self):',
    '        pass',
    '',
    'class TestB:',
    '    def helper(self):',
    '        pass',
    '    async def test_x(self):',
    '        pass',
    '',
    'def test_x():',
    '    pass',
  ].join('\n');

  it('follows the class of a pytest node id, ignoring the same name elsewhere', () => {
    expect(findTestLine('t.py::TestB::test_x', python)).toBe(8);
    expect(findTestLine('t.py::TestA::test_x', python)).toBe(2);
    expect(findTestLine('t.py::test_x[1-2]', python)).toBe(11);
  });

  it('answers undefined rather than a wrong line', () => {
    expect(findTestLine('t.py::TestA::helper', python)).toBeUndefined();
    expect(findTestLine('t.py::test_missing', python)).toBeUndefined();
  });

  it('finds a jest test by name, and a whole jest file at line 1', () => {
    const jest = ["import x from 'y';", "describe('d', () => {", "  it.only('adds numbers', () => {});", '});'].join('\n');
    expect(findTestLine('src/a.test.ts::adds numbers', jest)).toBe(3);
    expect(findTestLine('src/a.test.ts', jest)).toBe(1);
    expect(findTestLine('src/a.test.ts::unknown', jest)).toBe(1);
  });
});
