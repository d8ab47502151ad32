// Writes docs/reference/cli.md from the CLI's own --help, so the reference cannot drift from
// the flag table in src/cli/options.ts. Run after `npm run build`:
//   node test/scripts/cli-reference.mjs            (rewrite the file)
//   node test/scripts/cli-reference.mjs --check    (exit 1 if the file is stale)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const target = `${repo}docs/reference/cli.md`;
const help = (args) =>
  execFileSync(process.execPath, [`${repo}dist/cli/bin.js`, ...args, '--help'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', COLUMNS: '100' },
  }).trimEnd();

const sections = [
  ['leakhunt', []],
  ['leakhunt run', ['run']],
  ['leakhunt bisect', ['bisect']],
  ['leakhunt plan', ['plan']],
  ['leakhunt report', ['report']],
  ['leakhunt merge', ['merge']],
  ['leakhunt collect', ['collect']],
  ['leakhunt doctor', ['doctor']],
];
const text = [
  '# CLI reference',
  '',
  'Generated from `leakhunt --help` by `test/scripts/cli-reference.mjs`; a test fails when it is stale.',
  '',
  ...sections.flatMap(([title, args]) => [`## ${title}`, '', '```', help(args), '```', '']),
].join('\n');

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('docs/reference/cli.md is stale: run `npm run build && node test/scripts/cli-reference.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
