// Bundles the CLI and the guardian with esbuild after `tsc` has built dist/ (npm run build).
// Why: a one-batch hunt was spending most of its own time loading ~400 small ES modules
// (yargs, execa, fast-glob, ajv and leakhunt's own files) before the first batch could start;
// one file per command path loads in a fraction of that (docs/benchmarks.md, overhead rows).
// Node 20 has no module compile cache (module.enableCompileCache is Node >= 22.1).
//
// Layout kept for the code that finds files relative to its own module (import.meta.url):
// the CLI entry and its lazily loaded chunks all sit in dist/cli/, two levels under the repo,
// like every tsc-built module whose relative paths (../../src/probe/…, ../../docs/…,
// ../../package.json) they carry. The guardian stays one self-contained file where tsc put it.
// The rest of dist/ (tsc's output) stays for the benchmarks and tools that import modules.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  allowOverwrite: true,
  logLevel: 'warning',
  // CommonJS dependencies (fast-glob, ajv, proper-lockfile…) call require() on node builtins,
  // which an ES module bundle only has through createRequire.
  banner: { js: "import { createRequire as __lhCreateRequire } from 'node:module'; const require = __lhCreateRequire(import.meta.url);" },
};

// A module that finds files from import.meta.url must sit one folder under src/ (its paths
// are written for dist/<stage>/file.js, where the bundle's chunks also are); the guardian's
// launcher looks in both layouts. Anything else would break only in the bundle: refuse it here.
const misplaced = readdirSync('src', { recursive: true })
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name.split('/').length !== 2)
  .filter((name) => name !== 'execute/guardian/guardian.ts' && readFileSync(`src/${name}`, 'utf8').includes('import.meta.url'));
if (misplaced.length > 0) {
  throw new Error(
    `bundle: ${misplaced.join(', ')} use import.meta.url outside src/<stage>/: its relative paths would differ in dist/cli/ (see scripts/bundle.mjs)`,
  );
}

// Chunks are named by content hash: the previous build's would pile up.
for (const name of readdirSync('dist/cli')) if (name.startsWith('bundle-')) rmSync(`dist/cli/${name}`);

await build({
  ...common,
  entryPoints: ['src/cli/bin.ts'],
  outdir: 'dist/cli',
  splitting: true,
  chunkNames: 'bundle-[name]-[hash]',
});

await build({
  ...common,
  entryPoints: ['src/execute/guardian/guardian-main.ts'],
  outfile: 'dist/execute/guardian/guardian-main.js',
});
