// SelectedTest (absolute, with its source line) → TestId (what runners take and reports show):
// the path relative to the project directory, posix separators, node id appended. A test
// outside the project directory keeps its absolute path, since "../" ids read badly in reports.
import path from 'node:path';
import type { TestId } from '../plan/types.js';
import type { SelectedTest } from './types.js';

export function toTestId(test: SelectedTest, projectDir: string): TestId {
  const projectPath = projectDir.replaceAll('\\', '/');
  const relative = path.posix.relative(projectPath, test.absolutePath);
  const isInside = relative !== '' && !relative.startsWith('../') && relative !== '..' && !path.posix.isAbsolute(relative);
  const filePart = relative === '' ? '.' : isInside ? relative : test.absolutePath;
  return `${filePart}${test.nodeSuffix}`;
}

export function toTestIds(tests: readonly SelectedTest[], projectDir: string): TestId[] {
  return tests.map((test) => toTestId(test, projectDir));
}
