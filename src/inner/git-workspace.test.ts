import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitWorkspace, trialRef } from './git-workspace.js';

async function taskFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bilevel-task-'));
  await writeFile(join(dir, 'train.ts'), 'export const LR = 0.1;\n');
  await mkdir(join(dir, 'node_modules'));
  await writeFile(join(dir, 'node_modules', 'x.js'), '');
  return dir;
}

describe('GitWorkspace', () => {
  it('copies the task without node_modules and commits a baseline', async () => {
    const work = join(await mkdtemp(join(tmpdir(), 'bilevel-ws-')), 'work');
    const { workspace, commit } = await GitWorkspace.create(await taskFolder(), work, 'bilevel/run-1');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    // The branch holds the baseline; the working copy works detached (slots move the branch only to kept trials).
    expect((await workspace.git('rev-parse', 'bilevel/run-1')).trim()).toBe(commit);
    expect((await workspace.git('branch', '--show-current')).trim()).toBe('');
    expect((await workspace.git('ls-files')).trim()).toBe('train.ts');
  });

  it('leaves out a state dir that lives inside the task folder', async () => {
    const task = await taskFolder();
    const work = join(task, '.bilevel', 'runs', 'r1', 'work');
    await mkdir(join(task, '.bilevel', 'runs', 'r0'), { recursive: true });
    await writeFile(join(task, '.bilevel', 'bilevel.sqlite'), 'db');
    const { workspace } = await GitWorkspace.create(task, work, 'main');
    expect((await workspace.git('ls-files')).trim()).toBe('train.ts');
  });

  it('diffs a change, commits a kept one, and resets a discarded one', async () => {
    const work = join(await mkdtemp(join(tmpdir(), 'bilevel-ws-')), 'work');
    const { workspace, commit: baseline } = await GitWorkspace.create(await taskFolder(), work, 'main');
    await writeFile(join(work, 'train.ts'), 'export const LR = 0.2;\n');
    expect(await workspace.diff()).toContain('+export const LR = 0.2;');
    const kept = await workspace.commitAll('trial 1');
    expect(kept).not.toBe(baseline);

    await writeFile(join(work, 'train.ts'), 'export const LR = 9;\n');
    await writeFile(join(work, 'stray.txt'), 'left behind');
    await workspace.resetTo(kept);
    expect(await readFile(join(work, 'train.ts'), 'utf8')).toBe('export const LR = 0.2;\n');
    expect(await workspace.diff()).toBe('');
    await workspace.resetTo(baseline);
    expect(await readFile(join(work, 'train.ts'), 'utf8')).toBe('export const LR = 0.1;\n');
  });

  it('adds slots as worktrees of one repository: a commit in one is visible to all, the branch moves to kept ones', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-ws-'));
    const { workspace, commit: baseline } = await GitWorkspace.create(await taskFolder(), join(root, 'work'), 'b');
    const slot = await workspace.addWorktree(join(root, 'slots', '1'), baseline);
    expect(await readFile(join(root, 'slots', '1', 'train.ts'), 'utf8')).toBe('export const LR = 0.1;\n');
    await writeFile(join(slot.dir, 'train.ts'), 'export const LR = 0.3;\n');
    const kept = await slot.commitAll('trial 1');
    await slot.advanceBranch('b', kept);
    expect((await workspace.git('rev-parse', 'b')).trim()).toBe(kept);
    await workspace.resetTo(kept);
    expect(await readFile(join(root, 'work', 'train.ts'), 'utf8')).toBe('export const LR = 0.3;\n');
    // Opening the slot again (a resume) reuses it.
    expect((await workspace.addWorktree(join(root, 'slots', '1'), baseline)).dir).toBe(slot.dir);
    await writeFile(join(root, 'work', 'train.ts'), 'export const LR = 5;\n'); // a discarded trial's edit, left behind
    await workspace.checkoutBranchAt('b', baseline);
    expect(await readFile(join(root, 'work', 'train.ts'), 'utf8')).toBe('export const LR = 0.1;\n');
    expect((await workspace.git('branch', '--show-current')).trim()).toBe('b');
    expect((await workspace.git('log', '--format=%s', 'b')).trim()).toBe('baseline');
  });

  it('commits a discarded trial on its side ref: the branch and working copy stay, the code is one `git show` away', async () => {
    const work = join(await mkdtemp(join(tmpdir(), 'bilevel-ws-')), 'work');
    const { workspace, commit: baseline } = await GitWorkspace.create(await taskFolder(), work, 'main');
    await writeFile(join(work, 'train.ts'), 'export const LR = 0.3;\n');
    const side = await workspace.commitSide(4, 'trial 4 (discard): LR 0.1 -> 0.3');
    expect(side).toMatch(/^[0-9a-f]{40}$/);
    expect(await workspace.head()).toBe(baseline);
    expect((await workspace.git('log', '--format=%H', 'main')).trim()).toBe(baseline);
    expect((await workspace.git('rev-parse', trialRef(4))).trim()).toBe(side);
    expect(await workspace.git('show', '--format=%s', side)).toMatch(
      /^trial 4 \(discard\)[\s\S]*\+export const LR = 0\.3;/,
    );
    expect(await workspace.git('rev-parse', `${side}^`)).toBe(`${baseline}\n`);

    // A re-run of the same trial (after a kill) replaces its ref; a rejected trial's commit is its parent's code.
    await workspace.resetTo(baseline);
    const again = await workspace.commitSide(4, 'trial 4 (rejected): nothing ran');
    expect((await workspace.git('rev-parse', trialRef(4))).trim()).toBe(again);
    expect(await workspace.git('diff', baseline, again)).toBe('');
  });

  it('removes the locks a hard kill leaves (index, HEAD, a side ref being moved) so the next git call succeeds', async () => {
    const work = join(await mkdtemp(join(tmpdir(), 'bilevel-ws-')), 'work');
    const { workspace } = await GitWorkspace.create(await taskFolder(), work, 'main');
    await workspace.commitSide(1, 'trial 1 (discard)');
    const locks = ['index.lock', 'HEAD.lock', 'refs/bilevel/trials/1.lock', 'refs/heads/main.lock'];
    for (const lock of locks) await writeFile(join(work, '.git', lock), '');
    await expect(workspace.commitSide(1, 'trial 1 (discard), re-run')).rejects.toThrow(/lock/);
    await workspace.removeStaleLock();
    for (const lock of locks) expect(existsSync(join(work, '.git', lock)), lock).toBe(false);
    await workspace.commitSide(1, 'trial 1 (discard), re-run');
    await writeFile(join(work, 'train.ts'), 'export const LR = 0.2;\n');
    await workspace.commitAll('trial 2');
  });
});
