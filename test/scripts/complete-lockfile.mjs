// The npm registry these machines reach is a partial mirror: some platform builds of optional
// native packages (@swc/core-darwin-arm64, @unrs/resolver-binding-win32-*) answer 404. `npm
// install` then silently leaves them out of package-lock.json, and `npm ci` on a fresh clone
// refuses the lock ("Missing: @swc/core-darwin-arm64@ from lock file"). This records every
// optional dependency the lock names but lacks, as an optional entry: npm ci accepts the lock,
// installs only what this platform can use, and on other machines fetches the rest normally.
//   node test/scripts/complete-lockfile.mjs           (fix package-lock.json in place)
//   node test/scripts/complete-lockfile.mjs --check   (exit 1 if entries are missing)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = fileURLToPath(new URL('../../package-lock.json', import.meta.url));
const lock = JSON.parse(readFileSync(path, 'utf8'));
const missing = [];
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] !== undefined || missing.some((m) => m.key === key)) continue;
    missing.push({ key, entry: { version, ...(entry.dev ? { dev: true } : {}), optional: true } });
  }
}
if (process.argv.includes('--check')) {
  if (missing.length > 0) {
    console.error(
      `package-lock.json lacks ${missing.length} optional package(s) (${missing[0].key}, …): run node test/scripts/complete-lockfile.mjs`,
    );
    process.exit(1);
  }
} else {
  for (const { key, entry } of missing) lock.packages[key] = entry;
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${missing.length} optional package entr${missing.length === 1 ? 'y' : 'ies'} to package-lock.json`);
}
