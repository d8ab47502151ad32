// Finds which runner a selection is for and where it runs: the edge that reads the disk.
// The rules are in project-rules.ts and markers.ts (pure). One walk per hunt: the distinct
// files and directories of the selection are looked at once (a selection of 100,000 node
// ids names a few thousand files), then the directories above their common ancestor.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { type DirectoryMarkers, MARKER_FILES, type MarkerFile, readMarkers } from './markers.js';
import { type AncestorDirectory, decideProject, type ProjectChoice, selectionKinds, type TestRunner } from './project-rules.js';

export type { ProjectChoice } from './project-rules.js';

/** One selected entry: an absolute path, and whether it came with a `::` node id. */
export interface SelectedPath {
  readonly absolutePath: string;
  readonly nodeId: boolean;
}

/**
 * The runner and project directory for these entries. Throws UsageError (exit 2) when no
 * runner fits, or when pytest and jest both do and the entries cannot tell which.
 */
export async function detectProject(entries: readonly SelectedPath[], forced?: TestRunner): Promise<ProjectChoice> {
  // Paths repeat (one per node id): resolve each distinct one once.
  const distinct = [...new Set([...new Set(entries.map((entry) => entry.absolutePath))].map((path) => resolve(path)))];
  const nodeIdFiles = new Set(
    [...new Set(entries.filter((entry) => entry.nodeId).map((entry) => entry.absolutePath))].map((path) => resolve(path)),
  );
  const kinds = await Promise.all(distinct.map(async (path) => ({ path, isDirectory: await isDirectory(path) })));
  const start = commonAncestor(kinds.map(({ path, isDirectory: dir }) => (dir ? path : dirname(path))));
  const files = await Promise.all(kinds.map(({ path, isDirectory: dir }) => (dir ? sniffDirectory(path) : path)));
  const { ancestors, hasGit } = await walkUp(start);
  const decision = decideProject(ancestors, hasGit, selectionKinds(files, nodeIdFiles), forced);
  if (!decision.ok) throw new UsageError(decision.message, decision.hint);
  return decision.choice;
}

/** The directories from `start` up to the repository root (.git) or the filesystem root, with their markers. */
export async function walkUp(start: string): Promise<{ ancestors: AncestorDirectory[]; hasGit: boolean }> {
  const ancestors: AncestorDirectory[] = [];
  for (const dir of upFrom(start)) {
    const names = new Set(await readdir(dir).catch(() => [] as string[]));
    ancestors.push({
      dir,
      markers: await markersOf(dir, names),
      jestInstalled: names.has('node_modules') && existsSync(join(dir, 'node_modules', 'jest', 'package.json')),
    });
    // A configuration above the repository is not the project's (a stray ~/pytest.ini).
    if (names.has('.git')) return { ancestors, hasGit: true };
  }
  return { ancestors, hasGit: false };
}

async function markersOf(dir: string, names: ReadonlySet<string>): Promise<DirectoryMarkers> {
  const contents = new Map<MarkerFile, string>();
  await Promise.all(
    MARKER_FILES.filter((file) => names.has(file)).map(async (file) => {
      // Python files count by being there; reading them would only cost time.
      const text = file.endsWith('.py') ? '' : await readFile(join(dir, file), 'utf8').catch(() => undefined);
      if (text !== undefined) contents.set(file, text);
    }),
  );
  return readMarkers(contents);
}

const PYTEST_FILE = /^(test_.*|.*_test)\.py$/;
const JEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const SNIFF_LIMIT = 2000;

// A directory entry says nothing by its name: look inside (breadth first, a bounded number
// of entries) for the first test file either runner would collect. Returns a stand-in
// file name of that kind, or the directory itself when nothing tells.
async function sniffDirectory(directory: string): Promise<string> {
  const queue = [directory];
  let seen = 0;
  while (queue.length > 0 && seen < SNIFF_LIMIT) {
    const dir = queue.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      seen += 1;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== '__pycache__') queue.push(join(dir, entry.name));
      } else if (PYTEST_FILE.test(entry.name) || JEST_FILE.test(entry.name)) {
        return join(dir, entry.name);
      }
    }
  }
  return directory;
}

async function isDirectory(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isDirectory() === true;
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

function* upFrom(directory: string): Generator<string> {
  const root = parsePath(directory).root;
  let current = directory;
  for (;;) {
    yield current;
    if (current === root) return;
    current = dirname(current);
  }
}
