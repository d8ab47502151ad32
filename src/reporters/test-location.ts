// Where a test is defined: the line of `def test_x` for a pytest node id, of `it("name"` /
// `test("name"` for a jest test, so annotations point at the culprit and not at line 1.
// Pure: the caller reads the file. A test whose definition cannot be found answers undefined
// (the caller falls back to the file without a line) rather than a wrong line.

/** "tests/a.py::TestX::test_y[1-2]" → { file: "tests/a.py", names: ["TestX", "test_y"] }. */
export function splitTestId(test: string): { file: string; names: string[] } {
  const [file = test, ...rest] = test.split('::');
  const names = rest.map((name) => name.replace(/\[.*\]$/s, '')).filter((name) => name !== '');
  return { file, names };
}

/** 1-based line of the test's definition in `source`, or undefined. */
export function findTestLine(test: string, source: string): number | undefined {
  const { file, names } = splitTestId(test);
  const lines = source.split(/\r?\n/);
  if (file.endsWith('.py')) return findPythonDefinition(lines, names);
  if (names.length === 0) return 1; // a whole jest file: its first line is the honest answer
  return findJestTest(lines, names[names.length - 1] ?? '');
}

/** Follows classes then the function, each nested deeper than the one before. */
function findPythonDefinition(lines: readonly string[], names: readonly string[]): number | undefined {
  if (names.length === 0) return 1;
  let from = 0;
  let parentIndent = -1;
  for (const [depth, name] of names.entries()) {
    const isLast = depth === names.length - 1;
    const pattern = isLast
      ? new RegExp(`^(\\s*)(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(`)
      : new RegExp(`^(\\s*)class\\s+${escapeRegExp(name)}\\b`);
    const found = findIndented(lines, from, parentIndent, pattern);
    if (found === undefined) return undefined;
    if (isLast) return found.line + 1;
    from = found.line + 1;
    parentIndent = found.indent;
  }
  return undefined;
}

/**
 * The first match directly in the parent's block (module level when parentIndent is -1): at
 * the block's own indentation, so a nested helper of the same name is not taken for the test.
 */
function findIndented(
  lines: readonly string[],
  from: number,
  parentIndent: number,
  pattern: RegExp,
): { line: number; indent: number } | undefined {
  let blockIndent = parentIndent < 0 ? 0 : undefined;
  for (let line = from; line < lines.length; line += 1) {
    const text = lines[line] ?? '';
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const indent = text.length - text.trimStart().length;
    // Leaving the parent's block: a line at or left of its indent.
    if (parentIndent >= 0 && indent <= parentIndent) return undefined;
    blockIndent ??= indent;
    const match = pattern.exec(text);
    if (match && indent === blockIndent) return { line, indent };
  }
  return undefined;
}

function findJestTest(lines: readonly string[], name: string): number {
  const pattern = new RegExp(`\\b(?:it|test)(?:\\.\\w+)*\\(\\s*(['"\`])${escapeRegExp(name)}\\1`);
  const index = lines.findIndex((text) => pattern.test(text));
  return index === -1 ? 1 : index + 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
