// Copies a project layout from test/fixtures/layouts/ into a temp dir that looks like a
// repository of its own (.git/), so detection never climbs into leakhunt's checkout.
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './run-leakhunt.js';

export interface LayoutCopy {
  readonly dir: string;
  readonly remove: () => Promise<void>;
}

/** @param withNodeModules link leakhunt's node_modules at the copy's root (a jest workspace root has jest installed). */
export async function copyLayout(name: string, withNodeModules = false): Promise<LayoutCopy> {
  const dir = await mkdtemp(join(tmpdir(), `leakhunt-layout-${name}-`));
  await cp(join(REPO, 'test/fixtures/layouts', name), dir, { recursive: true });
  await mkdir(join(dir, '.git'));
  if (withNodeModules) await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
