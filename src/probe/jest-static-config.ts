// When the user's jest config is plain data that sets no setup files, the probe's
// --setupFilesAfterEnv list is just ours, known without starting `jest --showConfig`
// (~1 s, a whole jest start before the first batch). Anything less certain (a config file
// that is code, a preset or projects that may bring setup files) answers undefined, and the
// caller asks jest itself.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** jest's own config file names (jest-config's JEST_CONFIG_EXT_ORDER with "jest.config."). */
const CONFIG_FILE = /^jest\.config\.(?:[cm]?[jt]s|json)$/;
/** Keys under which a config can bring setup files from elsewhere. */
const INDIRECT_KEYS = ['setupFilesAfterEnv', 'preset', 'projects'];

/** The setup files list for the probe when it is certain from disk; undefined: ask jest. */
export async function staticJestSetupFiles(projectDir: string, ourSetup: string): Promise<{ files: string[] } | undefined> {
  const names = await readdir(projectDir).catch(() => undefined);
  if (names === undefined || names.some((name) => CONFIG_FILE.test(name))) return undefined;
  const text = await readFile(join(projectDir, 'package.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let jest: unknown;
  try {
    jest = (JSON.parse(text) as { jest?: unknown }).jest;
  } catch {
    return undefined;
  }
  if (jest === undefined) return { files: [ourSetup] };
  if (typeof jest !== 'object' || jest === null || INDIRECT_KEYS.some((key) => key in jest)) return undefined;
  return { files: [ourSetup] };
}
