// Shell completion through a real bash: the script `leakhunt completion bash` prints is
// sourced, and its function completes commands, flags and flag values from the flag tables.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, REPO } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

// `leakhunt` on PATH, as an installed package puts it.
const bin = tempDir('leakhunt-completion-');
writeFileSync(join(bin, 'leakhunt'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
chmodSync(join(bin, 'leakhunt'), 0o755);
const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', SHELL: '/bin/bash' };

async function complete(words: readonly string[]): Promise<string[]> {
  const script = [
    'source <(leakhunt completion bash)',
    `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
    '_leakhunt_yargs_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = await execa('bash', ['-c', script], { cwd: REPO, env, extendEnv: false });
  return String(result.stdout).split('\n').filter(Boolean);
}

describe('leakhunt completion', () => {
  it('completes commands, flags and choices in bash', async () => {
    expect(await complete(['leakhunt', 'co'])).toEqual(['collect', 'completion']);
    expect(await complete(['leakhunt', 'run', '--batch'])).toEqual(['--batch-size', '--batches']);
    expect(await complete(['leakhunt', 'run', '--runner', ''])).toEqual(['pytest', 'jest', 'vitest', 'node-test', 'generic']);
  }, 60_000);

  it('prints a zsh and a fish script, and refuses another shell with exit 2', async () => {
    const zsh = await execa(process.execPath, [CLI, 'completion', 'zsh'], { env, extendEnv: false });
    expect(zsh.stdout).toContain('#compdef leakhunt');
    const fish = await execa(process.execPath, [CLI, 'completion', 'fish'], { env, extendEnv: false });
    expect(fish.stdout).toMatch(/complete .*-c leakhunt|complete -c leakhunt/);
    const tcsh = await execa(process.execPath, [CLI, 'completion', 'tcsh'], { env, extendEnv: false, reject: false });
    expect(tcsh.exitCode).toBe(2);
    expect(tcsh.stderr).toContain('choose one of bash, zsh, fish');
  });

  it('--help explains the command with examples instead of printing the script', async () => {
    for (const args of [
      ['completion', '--help'],
      ['completion', 'zsh', '-h'],
    ]) {
      const help = await execa(process.execPath, [CLI, ...args], { env, extendEnv: false });
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toContain('leakhunt completion [bash|zsh|fish]');
      expect(help.stdout).toContain('leakhunt completion bash >> ~/.bashrc');
      expect(help.stdout).not.toContain('_leakhunt_yargs_completions');
    }
  });
});
