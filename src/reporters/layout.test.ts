import { describe, expect, it } from '@jest/globals';
import { parse } from 'shell-quote';
import { wrapCommand } from './layout.js';

// What a person pastes: the wrapped lines joined by the shell's line continuation.
function pasted(lines: string[], indent: string): string {
  return lines
    .map((line, i) => (i === 0 ? line : line.slice(indent.length)))
    .join('\n')
    .replace(/ \\\n/g, ' ');
}

describe('wrapCommand', () => {
  const indent = '           ';

  it('never breaks a quoted argument, so the pasted command has the same words', () => {
    const command =
      "cd test/examples/jest && npx jest --runInBand --runTestsByPath tests/export.test.js --testNamePattern '^(?:exports the full order history)$'";
    for (const width of [30, 60, 90, 120]) {
      const lines = wrapCommand(command, width, indent);
      expect(pasted(lines, indent)).toBe(command);
      expect(lines.some((line) => line.includes("'^(?:exports the full order history)$'"))).toBe(true);
      expect(parse(pasted(lines, indent))).toEqual(parse(command));
    }
  });

  it('keeps double-quoted and escaped spaces inside their word', () => {
    const command = 'python3 -m pytest "tests/test a.py::test_x" tests/test\\ b.py::test_y';
    const lines = wrapCommand(command, 20, indent);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.includes('"tests/test a.py::test_x"'))).toBe(true);
    expect(lines.some((line) => line.includes('tests/test\\ b.py::test_y'))).toBe(true);
    expect(pasted(lines, indent)).toBe(command);
  });
});
