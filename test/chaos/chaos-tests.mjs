#!/usr/bin/env node
// The test "runner" of the chaos suite: each argument is a file holding what that test does,
// as JSON. Like test/fixtures/bin/scripted-tests.mjs, plus what faults need:
//   sleepMs   stay this long, with a `sleep` child alive meanwhile (a tree, not one process)
//   allocMB   hold this much memory
//   printMB   write this much to stdout (write errors ignored: the test passes on a full disk)
//   daemons   leave processes behind that try to escape: "double-fork", "setsid", "env-i",
//             "env-i-setsid"; each is `sleep 300.<token><n>` (n = 1…4 in that order), so
//             the suite finds them by their command even with a cleared environment
// Every execution appends "<LEAKHUNT_RUN_ID> <args…>" to $CHAOS_COUNTER, so the suite can
// count how often each run really started.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeSync } from 'node:fs';

const counter = process.env.CHAOS_COUNTER;
if (counter) appendFileSync(counter, `${process.env.LEAKHUNT_RUN_ID ?? '?'} ${process.argv.slice(2).join(' ')}\n`);
const token = process.env.CHAOS_TOKEN ?? '0';
const DAEMON_KINDS = ['double-fork', 'setsid', 'env-i', 'env-i-setsid'];
const daemon = (kind) => `sleep 300.${token}${DAEMON_KINDS.indexOf(kind) + 1}`;
const DAEMONS = {
  'double-fork': `(${daemon('double-fork')} &) ; :`,
  setsid: `setsid ${daemon('setsid')} &`,
  'env-i': `env -i PATH="$PATH" ${daemon('env-i')} &`,
  'env-i-setsid': `(env -i PATH="$PATH" setsid ${daemon('env-i-setsid')} &) ; :`,
};

const held = [];
for (const file of process.argv.slice(2)) {
  const script = JSON.parse(readFileSync(file, 'utf8'));
  if (script.allocMB) held.push(Buffer.alloc(script.allocMB * 1024 * 1024, 1));
  if (script.printMB) {
    // Straight to fd 1, ignoring write errors: on a full disk the test itself still passes,
    // so what is tested is leakhunt's own writes failing, not a changed verdict.
    const line = Buffer.from(`${'x'.repeat(1023)}\n`);
    for (let i = 0; i < script.printMB * 1024; i += 1) {
      try {
        writeSync(1, line);
      } catch {
        break;
      }
    }
  }
  for (const kind of script.daemons ?? []) spawn('/bin/sh', ['-c', DAEMONS[kind]], { stdio: 'ignore' }).unref();
  if (script.sleepMs) {
    const child = spawn('sleep', [`${Math.ceil(script.sleepMs / 1000) + 60}.${token}`], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, script.sleepMs));
    child.kill('SIGKILL');
  }
}
process.exit(0);
