// Runs node:test for leakhunt: `node node-test-run.mjs --results FILE [--testNamePattern RE] files…`.
// Why not `node --test files…`: it sorts the files, and pollution bisection depends on the
// order leakhunt chose; run() keeps it. Each file still runs in its own child process, one at
// a time (concurrency 1), as `node --test` does. The log gets node's spec reporter; FILE gets
// what src/runners/node-test-results.ts reads: {"files":[{"file","passed","failed","skipped"}]}.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const args = process.argv.slice(2);
let resultsPath;
let namePattern;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--results') resultsPath = args[++i];
  else if (args[i] === '--testNamePattern') namePattern = args[++i];
  else files.push(resolve(args[i]));
}

// The probe hook (src/probe/node-test/hook.mjs, in NODE_OPTIONS) installs itself only in the
// children that run test files, not in this process.
process.env.LEAKHUNT_NODE_TEST_CHILD = '1';
const byFile = new Map(files.map((file) => [file, { file, passed: 0, failed: 0, skipped: 0 }]));
const count = (data, key) => {
  // Suites are reported like tests; only tests count (a failing suite is its failing tests,
  // or a file that failed to load, which is reported as one failing test named after it).
  if (data.details?.type === 'suite' && key !== 'failed') return;
  const entry = byFile.get(data.file) ?? byFile.set(data.file, { file: data.file, passed: 0, failed: 0, skipped: 0 }).get(data.file);
  entry[key] += 1;
};
const stream = run({ files, concurrency: 1, ...(namePattern !== undefined && { testNamePatterns: [new RegExp(namePattern)] }) });
stream.on('test:pass', (data) => count(data, data.skip || data.todo ? 'skipped' : 'passed'));
stream.on('test:fail', (data) => {
  process.exitCode = 1;
  count(data, 'failed');
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  if (resultsPath !== undefined) writeFileSync(resultsPath, `${JSON.stringify({ files: [...byFile.values()] })}\n`);
});
