// The benchmarks' copy of test/helpers/corpus.ts (bench code is plain .mjs, run without a
// build of the tests): a fresh copy of a Debian-packaged pytest suite, fetched with apt-get
// at bench time into node_modules/.cache/leakhunt-corpus (shared with the tests' helper),
// never committed. Returns undefined, with the reason, when the package cannot be had here.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, run } from './lib.mjs';

const CACHE = join(REPO, 'node_modules', '.cache', 'leakhunt-corpus');

export async function corpusSuite(pkg) {
  let unpacked;
  try {
    unpacked = await unpackedPackage(pkg);
  } catch (error) {
    return { skipped: `cannot fetch Debian package ${pkg}: ${String(error.message).split('\n')[0]}` };
  }
  const dir = await mkdtemp(join(tmpdir(), 'lh-bench-corpus-'));
  await cp(unpacked, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function unpackedPackage(pkg) {
  const target = join(CACHE, pkg);
  const sitePackages = join(target, 'usr', 'lib', 'python3', 'dist-packages');
  if (existsSync(sitePackages)) return sitePackages;
  await mkdir(CACHE, { recursive: true });
  const work = await mkdtemp(join(CACHE, `.${pkg}-`));
  try {
    if ((await run(['apt-get', 'download', '-qq', pkg], { cwd: work })).code !== 0) {
      await run(['apt-get', 'update', '-qq']);
      const again = await run(['apt-get', 'download', '-qq', pkg], { cwd: work, capture: true });
      if (again.code !== 0) throw new Error(`apt-get download ${pkg} failed: ${again.stderr}`);
    }
    const deb = (await readdir(work)).find((name) => name.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${pkg} wrote no .deb`);
    await run(['dpkg', '-x', join(work, deb), join(work, 'x')]);
    await rename(join(work, 'x'), target).catch(() => undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!existsSync(sitePackages)) throw new Error(`${pkg} has no usr/lib/python3/dist-packages`);
  return sitePackages;
}
