// The run's private git repository: a working copy of the task where kept trials are commits on the run's branch.
import { execFile } from 'node:child_process';
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
];

/** Longest commit subject written, in characters. */
const maxCommitSubject = 500;

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
    return { workspace, commit };
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

  /** Makes the working copy exactly `commit`: moves the branch there and removes every change. */
  async resetTo(commit: string): Promise<void> {
    await this.git('reset', '-q', '--hard', commit);
    await this.git('clean', '-q', '-fdx');
  }

  /** After a hard kill git may leave its lock behind; nothing else runs in this private repository. */
  async removeStaleLock(): Promise<void> {
    await rm(join(this.dir, '.git', 'index.lock'), { force: true });
  }
}
