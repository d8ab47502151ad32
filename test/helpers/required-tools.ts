// Some e2e tests need a tool outside npm: a browser, xmllint, Debian's pytest 7. On a laptop
// (or the macOS CI leg, where those packages do not exist) a missing tool skips its tests and
// says which package to install. Where the tools are installed on purpose — .ci/run and the
// Linux CI legs set LEAKHUNT_REQUIRE_TEST_TOOLS=1 — a missing tool fails instead of silently skipping.
import { existsSync } from 'node:fs';

export const TOOLS_REQUIRED = process.env['LEAKHUNT_REQUIRE_TEST_TOOLS'] === '1';

/** Debian's Chromium, Ubuntu's, or Chrome where GitHub's runners have it (Linux and macOS). */
export const BROWSER = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
].find((path) => existsSync(path));
