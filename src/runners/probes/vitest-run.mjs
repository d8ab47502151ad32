// Runs vitest for leakhunt through the project's own vitest Node API, because two things a
// batch needs have no vitest CLI flag:
// - the order of the files as given (vitest's sequencer puts failed, slow and large files
//   first, from its cache); pollution bisection depends on what ran before what;
// - the per-test probe as one more setup file, after the project's own (a config-file
//   setupFiles would have to replace theirs).
// Everything else is vitest's own CLI, parsed by vitest: `node vitest-run.mjs [vitest run options] files…`.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const requireFromProject = createRequire(join(process.cwd(), 'package.json'));
const root = dirname(requireFromProject.resolve('vitest/package.json'));
const { BaseSequencer, parseCLI, startVitest } = await import(pathToFileURL(join(root, 'dist', 'node.js')).href);

const { filter, options } = parseCLI(['vitest', ...process.argv.slice(2)]);
const rank = new Map(filter.map((file, index) => [resolve(file), index]));

class KeepOrderSequencer extends BaseSequencer {
  async sort(files) {
    const rankOf = (spec) => rank.get(spec.moduleId) ?? Number.MAX_SAFE_INTEGER;
    return [...files].sort((a, b) => rankOf(a) - rankOf(b));
  }
}

const probe = process.env.LEAKHUNT_PROBE_FILE ? [fileURLToPath(new URL('../../probe/vitest/setup.mjs', import.meta.url))] : [];
process.env.LEAKHUNT_VITEST_ENTRY = pathToFileURL(join(root, 'dist', 'index.js')).href;
// vite's mergeConfig appends arrays: the project's setupFiles run first, the probe last.
const vitest = await startVitest(
  'test',
  filter,
  { ...options, run: true, watch: false },
  { test: { sequence: { sequencer: KeepOrderSequencer }, setupFiles: probe } },
);
await vitest?.close();
// vitest sets process.exitCode (1 on failures); leave no handle of a test keeping us alive.
process.exit(process.exitCode ?? (vitest === undefined ? 1 : 0));
