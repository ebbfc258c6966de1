// The run's private git repository: a working copy of the task where kept trials are commits on the run's branch.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { displayLine } from '../core/display-text.js';
import { BilevelError } from '../core/errors.js';

const execFileAsync = promisify(execFile);

/** Settings that keep the private repository independent of the user's git configuration. */
const isolation = [
  '-c',
  'user.name=bilevel',
  '-c',
  'user.email=bilevel@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.autocrlf=false',
  // Several slots commit into one object store at once: no automatic gc under their feet.
  '-c',
  'gc.auto=0',
];

/** Longest commit subject written, in characters. */
const maxCommitSubject = 500;

/**
 * The side ref that holds trial `index`'s code when it was not kept (discarded, crashed, timed out, rejected): one
 * ref per trial, outside `refs/heads`, so the run's branch holds only kept trials and a re-run trial replaces its ref.
 */
export function trialRef(index: number): string {
  return `refs/bilevel/trials/${index}`;
}

export class GitWorkspace {
  constructor(readonly dir: string) {}

  /** Copies the task folder into `dir`, makes it a repository on `branch`, and commits it as the baseline. */
  static async create(
    taskDir: string,
    dir: string,
    branch: string,
  ): Promise<{ workspace: GitWorkspace; commit: string }> {
    // Entry by entry, skipping dependencies, git metadata, and a state dir that lives inside the task folder
    // (it holds `dir`; copying a folder into itself is refused).
    await mkdir(dir, { recursive: true });
    const skipped = (source: string): boolean =>
      /[\\/](node_modules|\.git)$/.test(source) || dir === source || dir.startsWith(source + sep);
    for (const entry of await readdir(taskDir)) {
      const source = join(taskDir, entry);
      if (skipped(source)) continue;
      await cp(source, join(dir, entry), { recursive: true, filter: (path) => !skipped(path) });
    }
    const workspace = new GitWorkspace(dir);
    await workspace.git('init', '-q', '-b', branch);
    const commit = await workspace.commitAll('baseline');
    // Slots work on detached heads; the branch is moved to each kept trial's commit (see `advanceBranch`).
    await workspace.git('checkout', '-q', '--detach');
    return { workspace, commit };
  }

  /**
   * A second working copy of this repository at `dir` (a git worktree, detached at `commit`), made if missing:
   * one per extra slot, sharing the object store, so a commit in any slot is visible to all.
   */
  async addWorktree(dir: string, commit: string): Promise<GitWorkspace> {
    const slot = new GitWorkspace(dir);
    if (existsSync(join(dir, '.git'))) return slot;
    await this.git('worktree', 'prune');
    await rm(dir, { recursive: true, force: true });
    await this.git('worktree', 'add', '-q', '--detach', dir, commit);
    return slot;
  }

  /** Points the run's branch at `commit` (a kept trial's): the branch holds kept trials only. */
  async advanceBranch(branch: string, commit: string): Promise<void> {
    await this.git('update-ref', `refs/heads/${branch}`, commit);
  }

  /** Leaves this working copy on the run's branch at `commit`, for the user to look at when the run ends. */
  async checkoutBranchAt(branch: string, commit: string): Promise<void> {
    await this.git('checkout', '-q', '-f', '-B', branch, commit);
    await this.git('clean', '-q', '-fdx');
  }

  /** Back to a detached head at the current commit (slots never sit on the branch while trials run). */
  async detach(): Promise<void> {
    await this.git('checkout', '-q', '--detach');
  }

  /** Runs git in the working copy; failures are GIT_FAILED errors with git's message. */
  async git(...args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('git', [...isolation, ...args], {
        cwd: this.dir,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
      return stdout;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new BilevelError('GIT_FAILED', `git ${args[0]} failed in ${this.dir}: ${message.trim()}`, {
        hint: 'check that git is installed and the run folder is intact; `bilevel resume` retries from the last record',
        cause: error,
      });
    }
  }

  /** Stages everything and commits; returns the new commit id. */
  /** Commits everything; `message` may carry model text, so it is made one safe line (no NUL reaches git's args). */
  async commitAll(message: string): Promise<string> {
    await this.git('add', '-A');
    await this.git('commit', '-q', '--allow-empty', '-m', displayLine(message, maxCommitSubject));
    return this.head();
  }

  /**
   * Commits the working copy as it is on `trialRef(index)`, with HEAD as its parent; HEAD, the branch and the working
   * copy stay where they are. Returns the new commit id. Rewriting the ref makes a re-run of the trial replace it.
   */
  async commitSide(index: number, message: string): Promise<string> {
    await this.git('add', '-A');
    const tree = (await this.git('write-tree')).trim();
    const commit = (
      await this.git('commit-tree', tree, '-p', 'HEAD', '-m', displayLine(message, maxCommitSubject))
    ).trim();
    await this.git('update-ref', trialRef(index), commit);
    return commit;
  }

  async head(): Promise<string> {
    return (await this.git('rev-parse', 'HEAD')).trim();
  }

  /** The working copy's changes against HEAD, untracked files included, as a unified diff. */
  async diff(): Promise<string> {
    await this.git('add', '-A');
    return this.git('diff', '--cached', '--no-color', '--no-ext-diff');
  }

  /** The change from commit `from` to commit `to`, as a unified diff. */
  async diffBetween(from: string, to: string): Promise<string> {
    return this.git('diff', '--no-color', '--no-ext-diff', from, to);
  }

  /** Makes the working copy exactly `commit` (its head moves there) and removes every change. */
  async resetTo(commit: string): Promise<void> {
    await this.git('reset', '-q', '--hard', commit);
    await this.git('clean', '-q', '-fdx');
  }

  /**
   * Undoes what a program did to the working copy except to `keep` (the editable files): removes every untracked
   * file (a planted `objective.js` would shadow `objective.ts` for an evaluator) and restores every other tracked one.
   */
  async discardAllBut(keep: readonly string[]): Promise<void> {
    await this.git('clean', '-q', '-fdx');
    const tracked = (await this.git('ls-files', '-z'))
      .split('\0')
      .filter((path) => path !== '' && !keep.includes(path));
    if (tracked.length > 0) await this.git('checkout', '-q', 'HEAD', '--', ...tracked);
  }

  /**
   * After a hard kill git may leave its locks behind (the index, HEAD, a ref being moved); nothing else runs in this
   * private repository, so every lock left is stale.
   */
  async removeStaleLock(): Promise<void> {
    // A slot made with `git worktree add` has a .git file: ask git where its own folder is.
    const gitDir = (await this.git('rev-parse', '--absolute-git-dir').catch(() => join(this.dir, '.git'))).trim();
    for (const name of ['index.lock', 'HEAD.lock', 'packed-refs.lock']) await rm(join(gitDir, name), { force: true });
    // A missing repository is reported by the git call that follows (GIT_FAILED, with what to do).
    const refs = await readdir(join(gitDir, 'refs'), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const path of refs) {
      if (path.endsWith('.lock')) await rm(join(gitDir, 'refs', path), { force: true });
    }
  }
}
