// Fitting plain text into a terminal: truncation that keeps what identifies a test (the start
// of the path and the test name at the end), padding, and shell-safe wrapping of commands.
// Everything here works on text without ANSI codes: colour is applied after fitting.

const ELLIPSIS = '…';

/** Cuts from the middle: "tests/test_a.py::…::test_name". */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  const keepEnd = Math.ceil((width - 1) * 0.6);
  const keepStart = width - 1 - keepEnd;
  return `${text.slice(0, keepStart)}${ELLIPSIS}${text.slice(text.length - keepEnd)}`;
}

/** Cuts the end: for sentences, where the start matters most. */
export function truncateEnd(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, width) : `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * Wraps a shell command at spaces into lines of at most `width`, each but the last ending in
 * " \" so the lines still paste as one command. A word longer than the width stays whole
 * (breaking it would break the command).
 */
export function wrapCommand(command: string, width: number, indent: string): string[] {
  // A break inside a quoted argument ('^(?:exports the full history)$') would paste as a
  // different command: break only between shell words.
  const words = shellWords(command);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    // Room for the trailing " \" on every line but the last.
    if (line !== '' && indent.length + candidate.length + 2 > width) {
      lines.push(`${line} \\`);
      line = word;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines.map((text, i) => (i === 0 ? text : indent + text));
}

/** Splits at spaces outside single and double quotes; quotes and escapes stay as written. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i]!;
    if (quote === undefined && char === ' ') {
      if (word !== '') words.push(word);
      word = '';
      continue;
    }
    word += char;
    if (char === '\\' && quote !== "'" && i + 1 < command.length) word += command[(i += 1)]!;
    else if (quote === undefined && (char === "'" || char === '"')) quote = char;
    else if (char === quote) quote = undefined;
  }
  if (word !== '') words.push(word);
  return words;
}

/** Word-wraps prose into at most `maxLines` lines of `width`; the last line is cut with "…". */
export function wrapWords(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width || line === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines.map((l) => truncateEnd(l, width));
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncateEnd(`${kept[maxLines - 1] ?? ''} ${lines[maxLines] ?? ''}`, width);
  return kept.map((l) => truncateEnd(l, width));
}
