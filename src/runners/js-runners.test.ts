// Which JS runner a package uses: jest, vitest or node:test, from its own files.
import { describe, expect, it } from '@jest/globals';
import { type MarkerContents, type MarkerFile, readMarkers } from './markers.js';
import { type AncestorDirectory, decideProject, selectionKinds } from './project-rules.js';

function dir(path: string, files: Partial<Record<MarkerFile, string>>): AncestorDirectory {
  return { dir: path, markers: readMarkers(new Map(Object.entries(files)) as MarkerContents), jestInstalled: false };
}
const JS = selectionKinds(['/p/tests/a.test.js'], new Set());
const decide = (...ancestors: AncestorDirectory[]) => decideProject(ancestors, true, JS);

describe('JS runner detection', () => {
  it('takes vitest from a vitest.config.* or a dependency, node:test from a `node --test` script', () => {
    expect(decide(dir('/p', { 'package.json': '{}', 'vitest.config.ts': '' }))).toMatchObject({
      ok: true,
      choice: { runner: 'vitest', projectDir: '/p' },
    });
    expect(decide(dir('/p', { 'package.json': '{"devDependencies":{"vitest":"^4"}}' }))).toMatchObject({
      ok: true,
      choice: { runner: 'vitest' },
    });
    expect(decide(dir('/p', { 'package.json': '{"scripts":{"test":"node --test tests/"}}' }))).toMatchObject({
      ok: true,
      choice: { runner: 'node-test' },
    });
  });

  it('lets the test script decide between runners the package depends on', () => {
    const both = { devDependencies: { jest: '*', vitest: '*' } };
    expect(decide(dir('/p', { 'package.json': JSON.stringify({ ...both, scripts: { test: 'vitest run' } }) }))).toMatchObject({
      choice: { runner: 'vitest' },
    });
    expect(decide(dir('/p', { 'package.json': JSON.stringify({ ...both, scripts: { test: 'jest --ci' } }) }))).toMatchObject({
      choice: { runner: 'jest' },
    });
  });

  it('keeps jest when a jest.config.* says so, even beside a vitest dependency', () => {
    expect(decide(dir('/p', { 'package.json': '{"devDependencies":{"vitest":"*"}}', 'jest.config.js': '' }))).toMatchObject({
      choice: { runner: 'jest' },
    });
  });

  it('runs a monorepo package where its package.json is, with vitest configured above it', () => {
    const choice = decide(
      dir('/r/packages/a', { 'package.json': '{}' }),
      dir('/r', { 'package.json': '{"devDependencies":{"vitest":"*"}}' }),
    );
    expect(choice).toMatchObject({ ok: true, choice: { runner: 'vitest', projectDir: '/r/packages/a' } });
  });
});
