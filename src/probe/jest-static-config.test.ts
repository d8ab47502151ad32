import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { staticJestSetupFiles } from './jest-static-config.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lh-jest-static-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const cases: [string, Record<string, string>, boolean][] = [
  ['package.json without a jest key', { 'package.json': '{"name":"x"}' }, true],
  ['a jest key of plain options', { 'package.json': '{"jest":{"testEnvironment":"node"}}' }, true],
  ['its own setupFilesAfterEnv', { 'package.json': '{"jest":{"setupFilesAfterEnv":["./s.js"]}}' }, false],
  ['a preset', { 'package.json': '{"jest":{"preset":"ts-jest"}}' }, false],
  ['projects', { 'package.json': '{"jest":{"projects":["a"]}}' }, false],
  ['a jest.config.js (code)', { 'package.json': '{}', 'jest.config.js': 'module.exports = {}' }, false],
  ['a jest.config.json', { 'package.json': '{}', 'jest.config.json': '{}' }, false],
  ['no package.json', {}, false],
  ['a package.json that is not JSON', { 'package.json': '{' }, false],
];

describe('staticJestSetupFiles', () => {
  it.each(cases)('%s: known from disk = %s', async (_name, files, known) => {
    const dir = project(files);
    try {
      const answer = await staticJestSetupFiles(dir, '/probe/setup.cjs');
      expect(answer).toEqual(known ? { files: ['/probe/setup.cjs'] } : undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
