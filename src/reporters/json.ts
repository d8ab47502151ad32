// The report itself, pretty-printed with a stable key order (alphabetical, schemaVersion
// first) so two reports of the same hunt diff cleanly whatever order the code built them in.
// Small flat objects (memory samples, per-test records) stay on one line: a series of 2000
// points would otherwise take 8000 lines.
import type { Report } from '../report/model.js';

const INLINE_MAX_KEYS = 3;
const FIRST_KEYS = ['schemaVersion'];

export function renderJson(report: Report): string {
  return `${stringify(report, '')}\n`;
}

function stringify(value: unknown, indent: string): string {
  if (Array.isArray(value)) return stringifyArray(value, indent);
  if (value !== null && typeof value === 'object') return stringifyObject(value as Record<string, unknown>, indent);
  return JSON.stringify(value) ?? 'null';
}

function stringifyArray(items: readonly unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  const inner = `${indent}  `;
  // Undefined and functions become null in arrays, as JSON.stringify does.
  return `[\n${items.map((item) => inner + (item === undefined ? 'null' : stringify(item, inner))).join(',\n')}\n${indent}]`;
}

function stringifyObject(object: Record<string, unknown>, indent: string): string {
  const keys = sortedKeys(object).filter((key) => object[key] !== undefined && typeof object[key] !== 'function');
  if (keys.length === 0) return '{}';
  if (isFlat(object, keys)) return `{ ${keys.map((key) => `${JSON.stringify(key)}: ${JSON.stringify(object[key])}`).join(', ')} }`;
  const inner = `${indent}  `;
  return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${stringify(object[key], inner)}`).join(',\n')}\n${indent}}`;
}

function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object).sort();
  const first = FIRST_KEYS.filter((key) => keys.includes(key));
  return [...first, ...keys.filter((key) => !first.includes(key))];
}

function isFlat(object: Record<string, unknown>, keys: readonly string[]): boolean {
  return (
    keys.length <= INLINE_MAX_KEYS &&
    keys.every((key) => {
      const value = object[key];
      return typeof value === 'number' || (typeof value === 'string' && value.length <= 80) || typeof value === 'boolean';
    })
  );
}
