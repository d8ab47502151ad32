// Real third-party test suites that nobody on this team wrote, brought in at test time from
// Debian's packages (never committed): a verdict that holds on them earns more trust than one
// that holds on our own fixtures. The .deb is downloaded once and unpacked once per checkout
// (under node_modules/.cache, like other tools' caches); every test gets its own copy to change.
//
//   const corpus = useCorpusSuite('python3-networkx');  // a fresh copy per test file, removed after
//   it('…', async () => {
//     const suite = corpus.suite;                         // undefined → skip (reason in corpusSkipReason)
//     // suite.dir is a copy of …/dist-packages: `networkx/` with its tests inside
//     ... write injected test files under suite.dir, a selection, run leakhunt ...
//   });
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from '@jest/globals';
import { TOOLS_REQUIRED } from './required-tools.js';
import { REPO } from './run-leakhunt.js';

const run = promisify(execFile);

/** Debian packages known to ship a runnable pytest suite on these machines (checked with Python 3.11, pytest 9); toolz's tests are a plain folder inside the package (no __init__.py). */
export type CorpusPackage = 'python3-networkx' | 'python3-simplejson' | 'python3-toolz';

export interface CorpusSuite {
  /** A private copy of the package's dist-packages folder: the package and its tests. */
  readonly dir: string;
  readonly remove: () => Promise<void>;
}

const CACHE = join(REPO, 'node_modules', '.cache', 'leakhunt-corpus');

/** Why corpus tests cannot run here, or undefined when they can. Set by the first corpusSuite() call. */
export let corpusSkipReason: string | undefined;

/**
 * A fresh copy of a real Debian-packaged suite, or undefined when the package cannot be had
 * here (no apt-get, no network to Debian). With LEAKHUNT_REQUIRE_TEST_TOOLS=1 (CI) that throws.
 */
export async function corpusSuite(pkg: CorpusPackage): Promise<CorpusSuite | undefined> {
  let unpacked: string;
  try {
    unpacked = await unpackedPackage(pkg);
  } catch (error) {
    corpusSkipReason = `cannot fetch Debian package ${pkg} (${(error as Error).message.split('\n')[0]}); run 'apt-get update' and retry`;
    if (TOOLS_REQUIRED) throw new Error(corpusSkipReason);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'leakhunt-corpus-'));
  await cp(unpacked, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh copy of `pkg` for the test file that calls this (at its top level): fetched before
 * its tests, removed after them. `.suite` is undefined when the package cannot be had here.
 */
export function useCorpusSuite(pkg: CorpusPackage): { readonly suite: CorpusSuite | undefined } {
  const holder: { suite: CorpusSuite | undefined } = { suite: undefined };
  beforeAll(async () => {
    holder.suite = await corpusSuite(pkg);
  }, 600_000);
  afterAll(async () => {
    await holder.suite?.remove();
  });
  return holder;
}

/** simplejson's test folder, as a selection written in the package's parent spells it. */
export const SIMPLEJSON_TESTS = 'simplejson/tests';

/**
 * An injected test file beside simplejson's own tests that feeds a module-level registry:
 * five tests `<prefix>_<i>`, each keeping 8 MiB through `call` (`qa_registry.register`), the
 * seeds' leak. The module (`qa_registry`) is the test's to write under SIMPLEJSON_TESTS.
 */
export function simplejsonFeeder(call: string, prefix: string): string {
  const module = call.split('.')[0];
  const tests = [0, 1, 2, 3, 4].map((i) => `def ${prefix}_${i}():\n    ${call}(b"x" * (8 * 1024 * 1024))\n`);
  return `from simplejson.tests import ${module}\n\n${tests.join('\n')}`;
}

// Downloads and unpacks once; concurrent jest workers race safely because each unpacks into
// its own temp folder and renames it into place (the loser's rename fails and it uses the winner's).
async function unpackedPackage(pkg: CorpusPackage): Promise<string> {
  const target = join(CACHE, pkg);
  const sitePackages = join(target, 'usr', 'lib', 'python3', 'dist-packages');
  if (existsSync(sitePackages)) return sitePackages;
  await mkdir(CACHE, { recursive: true });
  const work = await mkdtemp(join(CACHE, `.${pkg}-`));
  try {
    await download(pkg, work);
    const deb = (await readdir(work)).find((name) => name.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${pkg} wrote no .deb`);
    await run('dpkg', ['-x', join(work, deb), join(work, 'x')]);
    await rename(join(work, 'x'), target).catch(() => undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!existsSync(sitePackages)) throw new Error(`${pkg} has no usr/lib/python3/dist-packages`);
  return sitePackages;
}

async function download(pkg: string, cwd: string): Promise<void> {
  try {
    await run('apt-get', ['download', '-qq', pkg], { cwd, timeout: 120_000 });
  } catch {
    // A fresh machine has no package lists yet: read them once, then try again.
    await run('apt-get', ['update', '-qq'], { timeout: 300_000 });
    await run('apt-get', ['download', '-qq', pkg], { cwd, timeout: 120_000 });
  }
}
