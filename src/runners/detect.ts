// Finds where a runner should run and which runner it is, from the files on disk.
// The rules are in markers.ts (pure); this module only reads the marker files.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import type { RunnerName } from './types.js';
import { chooseRunner, isProjectRoot, MARKER_FILES, readMarkers, type DetectedRunner, type DirectoryMarkers, type MarkerContents, type MarkerFile } from './markers.js';

/** Reads the marker files of one directory. */
export async function markersOf(directory: string): Promise<DirectoryMarkers> {
  const contents = new Map<MarkerFile, string>();
  await Promise.all(
    MARKER_FILES.map(async (file) => {
      const text = await readFile(join(directory, file), 'utf8').catch(() => undefined);
      if (text !== undefined) contents.set(file, text);
    }),
  );
  return readMarkers(contents as MarkerContents);
}

/**
 * Which runner projectDir is set up for, and why; undefined when nothing says.
 * @param testPaths the selected test files, to choose when both pytest and jest are configured
 */
export async function detectRunner(projectDir: string, testPaths: readonly string[] = []): Promise<DetectedRunner | undefined> {
  return chooseRunner(await markersOf(projectDir), testPaths);
}

/**
 * The directory to run in: the nearest ancestor of all the test files that holds the
 * runner's configuration (pytest.ini/pyproject.toml [tool.pytest]/setup.cfg/tox.ini for
 * pytest, a package.json or jest.config.* for jest). The search stops at a repository root
 * (a directory with .git). Without configuration: the outermost conftest.py directory for
 * pytest (pytest's own rootdir rule would pick the tests' common ancestor), else the
 * common ancestor of the test files.
 */
export async function findProjectDir(absoluteTestPaths: readonly string[], runner?: RunnerName): Promise<string> {
  const start = commonAncestor(await Promise.all(absoluteTestPaths.map(directoryOf)));
  if (runner === 'generic') return start;
  const wanted = runner === 'pytest' || runner === 'jest' ? runner : undefined;
  let outermostConftest: string | undefined;
  let nearestPackage: string | undefined;
  for (const directory of ancestors(start)) {
    const markers = await markersOf(directory);
    if (isProjectRoot(markers, wanted)) return directory;
    if (markers.pytestHint !== undefined) outermostConftest = directory;
    if (markers.packageJson) nearestPackage ??= directory;
    if (await exists(join(directory, '.git'))) break;
  }
  return (wanted === 'jest' ? nearestPackage : (outermostConftest ?? nearestPackage)) ?? start;
}

async function directoryOf(path: string): Promise<string> {
  const absolute = resolve(path);
  const stats = await stat(absolute).catch(() => undefined);
  return stats?.isDirectory() === true ? absolute : dirname(absolute);
}

/** "/a/b/c" and "/a/b/d/e" → "/a/b". */
export function commonAncestor(directories: readonly string[]): string {
  const [first, ...rest] = directories.map((directory) => resolve(directory).split('/'));
  if (first === undefined) return resolve('.');
  let length = first.length;
  for (const parts of rest) {
    let same = 0;
    while (same < Math.min(length, parts.length) && parts[same] === first[same]) same += 1;
    length = same;
  }
  return first.slice(0, length).join('/') || '/';
}

function* ancestors(directory: string): Generator<string> {
  const root = parsePath(directory).root;
  let current = directory;
  for (;;) {
    yield current;
    if (current === root) return;
    current = dirname(current);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
