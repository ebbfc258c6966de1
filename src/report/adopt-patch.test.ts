import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AdoptionTarget, adoptCommand, inspectAdoption, renderAdoption, shellQuote } from './adopt-patch.js';

const patch = [
  'diff --git a/train.py b/train.py',
  'index 1111111..2222222 100644',
  '--- a/train.py',
  '+++ b/train.py',
  '@@ -1 +1 @@',
  '-LR = 0.1',
  '+LR = 0.2',
  '',
].join('\n');

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd, encoding: 'utf8' });

/** A task folder holding train.py, at `inside` below a fresh directory that is a git repository when `repository`. */
async function taskFolder(inside: string, repository: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bilevel-adopt-'));
  const folder = join(root, inside);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'train.py'), 'LR = 0.1\n');
  if (repository) {
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'task');
  }
  return folder;
}

/** Writes the patch beside the folder, runs the report's command through sh, and returns train.py. */
async function adopt(target: AdoptionTarget): Promise<string> {
  if (target.kind !== 'folder') throw new Error('no folder');
  const patchPath = join(await mkdtemp(join(tmpdir(), "bilevel report's ")), 'best.patch');
  await writeFile(patchPath, patch);
  execFileSync('sh', ['-c', adoptCommand(target, patchPath)], { cwd: tmpdir() });
  return readFile(join(target.taskDir, 'train.py'), 'utf8');
}

describe('adopting best.patch (real git, temporary folders)', () => {
  it('applies in a task folder inside a git repository, where a plain `git apply` silently skips the file', async () => {
    const folder = await taskFolder('tasks/my task', true);
    execFileSync('git', ['apply'], { cwd: folder, input: patch });
    expect(await readFile(join(folder, 'train.py'), 'utf8')).toBe('LR = 0.1\n');
    const target = await inspectAdoption(folder, patch);
    expect(target).toMatchObject({ kind: 'folder', prefix: 'tasks/my task/', check: { applies: true } });
    expect(await adopt(target)).toBe('LR = 0.2\n');
  });

  it('applies at the root of a repository and outside any repository', async () => {
    const root = await inspectAdoption(await taskFolder('', true), patch);
    expect(root).toMatchObject({ prefix: '', check: { applies: true } });
    expect(await adopt(root)).toBe('LR = 0.2\n');
    const plain = await inspectAdoption(await taskFolder('task', false), patch);
    expect(plain).toMatchObject({ prefix: null, check: { applies: true } });
    expect(await adopt(plain)).toBe('LR = 0.2\n');
  });

  it('says so when the folder changed since the run, or is gone, and changes nothing', async () => {
    const folder = await taskFolder('tasks/mine', true);
    await writeFile(join(folder, 'train.py'), 'LR = 0.5\n');
    const changed = await inspectAdoption(folder, patch);
    expect(changed).toMatchObject({ kind: 'folder', check: { applies: false } });
    expect(renderAdoption(changed, '/r/best.patch').join('\n')).toMatch(/does \*\*not\*\* apply.*train\.py/);
    expect(await readFile(join(folder, 'train.py'), 'utf8')).toBe('LR = 0.5\n');
    const gone = await inspectAdoption(join(folder, 'nowhere'), patch);
    expect(gone.kind).toBe('missing');
    expect(renderAdoption(gone, '/r/best.patch').join('\n')).toContain('git rev-parse --show-prefix');
  });

  it('quotes words for the shell only when they need it', () => {
    expect(shellQuote('/tmp/run-1/best.patch')).toBe('/tmp/run-1/best.patch');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
  });
});
