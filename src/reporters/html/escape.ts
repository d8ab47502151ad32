// HTML text and attribute escaping: every string from a report (test ids, log-derived
// sentences) passes through here before it reaches the page.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A tagged template that escapes every interpolated value unless it is already Html. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function raw(text: string): Html {
  return new Html(text);
}

type Part = string | number | Html | undefined | readonly (string | Html)[];

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(value: Part): string {
  if (value === undefined) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map((item) => render(item as Part)).join('');
  return escapeHtml(String(value));
}

/** A test id that may wrap after "/", "::" and "[" (not mid-word) in a narrow table column. */
export function breakable(test: string): Html {
  return raw(
    test
      .split(/(?<=\/|::|\[)/)
      .map(escapeHtml)
      .join('<wbr>'),
  );
}
