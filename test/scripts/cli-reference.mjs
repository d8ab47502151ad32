// Writes docs/reference/cli.md from the CLI's own --help, so the reference cannot drift from
// the flag table in src/cli/options.ts. Run after `npm run build`:
//   node test/scripts/cli-reference.mjs            (rewrite the file)
//   node test/scripts/cli-reference.mjs --check    (exit 1 if the file is stale)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const target = `${repo}docs/reference/cli.md`;
const help = (args) =>
  execFileSync(process.execPath, [`${repo}dist/cli/bin.js`, ...args, '--help'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', COLUMNS: '100' },
  }).trimEnd();

// Every command the top-level help lists gets a section, so a new command cannot be left out
// of the reference (with a hard-coded list, a new command went unchecked and --check passed).
const top = help([]);
const commandBlock = top.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
const commands = [...commandBlock.matchAll(/^ {2}leakhunt ([a-z][\w-]*)/gm)].map((match) => match[1]);
if (commands.length === 0) throw new Error('cli-reference: no commands found in `leakhunt --help`');
const sections = [['leakhunt', []], ...commands.map((command) => [`leakhunt ${command}`, [command]])];

// The reference is generated from dist/: a build older than src/ would make --check compare
// against stale help and pass. Refuse instead of answering from an old build.
if (process.argv.includes('--check')) {
  const built = statSync(`${repo}dist/cli/bin.js`).mtimeMs;
  const newer = readdirSync(`${repo}src`, { recursive: true })
    .filter((file) => /\.ts$/.test(file) && !/\.test\.ts$/.test(file))
    .find((file) => statSync(`${repo}src/${file}`).mtimeMs > built);
  if (newer !== undefined) {
    console.error(`dist/ is older than src/${newer}: run \`npm run build\` before checking docs/reference/cli.md`);
    process.exit(1);
  }
}
const text = [
  '# CLI reference',
  '',
  'Generated from `leakhunt --help` by `test/scripts/cli-reference.mjs`; a test fails when it is stale.',
  '',
  ...sections.flatMap(([title, args]) => [`## ${title}`, '', '```', args.length === 0 ? top : help(args), '```', '']),
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
