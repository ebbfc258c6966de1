// How to adopt best.patch in the task folder: a command that works wherever the folder sits, checked against it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { markdownCell } from './markdown-table.js';

/** Where the run's task folder stands now, and whether the best change applies to it as it is. */
export type AdoptionTarget =
  | { kind: 'missing'; taskDir: string }
  | {
      kind: 'folder';
      taskDir: string;
      /**
       * The folder's path inside the git repository that holds it (`tasks/mine/`), '' at a repository's root, null
       * outside any repository. `git apply` reads a patch's paths from the repository's root and, run in a
       * subfolder, skips every path outside it without a word: `--directory=PREFIX` puts them back under it.
       */
      prefix: string | null;
      /** `git apply --check` in the folder: whether the patch applies to the files as they are now. */
      check: { applies: true } | { applies: false; message: string };
    };

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd` with `input` on stdin; a non-zero exit is a result, not an error (the caller reads it). */
function git(cwd: string, args: readonly string[], input = ''): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    // git may exit before reading all of stdin (rev-parse reads none): its exit status says what happened.
    child.stdin?.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin?.end(input);
  });
}

/** Finds the task folder's place (in a repository or not) and checks the patch against it; changes nothing. */
export async function inspectAdoption(taskDir: string, patch: string): Promise<AdoptionTarget> {
  if (!existsSync(taskDir)) return { kind: 'missing', taskDir };
  const place = await git(taskDir, ['rev-parse', '--show-prefix']);
  const prefix = place.code === 0 ? place.stdout.trim() : null;
  const check = await git(taskDir, ['apply', '--check', ...directoryArgs(prefix)], patch);
  return {
    kind: 'folder',
    taskDir,
    prefix,
    check: check.code === 0 ? { applies: true } : { applies: false, message: check.stderr.trim() },
  };
}

function directoryArgs(prefix: string | null): string[] {
  return prefix ? [`--directory=${prefix}`] : [];
}

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that applies `patchPath` in the task folder: run as printed, from any directory. */
export function adoptCommand(target: Extract<AdoptionTarget, { kind: 'folder' }>, patchPath: string): string {
  const apply = ['git', 'apply', ...directoryArgs(target.prefix), patchPath].map(shellQuote).join(' ');
  return `cd ${shellQuote(target.taskDir)} && ${apply}`;
}

/** The same, for any copy of the task folder, in a repository or not (run from inside that copy). */
export function portableAdoptCommand(patchPath: string): string {
  return `git apply --directory="$(git rev-parse --show-prefix 2>/dev/null)" ${shellQuote(patchPath)}`;
}

/** The report's lines on adopting the change: the command for the task folder, its check, and the portable form. */
export function renderAdoption(target: AdoptionTarget, patchPath: string): string[] {
  const portable = `In another copy of the task folder, run from inside it: \`${portableAdoptCommand(patchPath)}\`.`;
  if (target.kind === 'missing') {
    return [`The run's task folder \`${target.taskDir}\` is gone. ${portable}`];
  }
  const where =
    target.prefix === null
      ? 'it is not in a git repository'
      : target.prefix === ''
        ? 'it is the root of a git repository'
        : `it sits at \`${target.prefix}\` in a git repository, where a plain \`git apply\` would skip every file`;
  const check = target.check.applies
    ? 'Checked now with `git apply --check`: it applies cleanly.'
    : `Checked now with \`git apply --check\`: it does **not** apply to the folder as it is (changed since the run?): ${markdownCell(target.check.message, 300)}`;
  return [
    `To adopt it in the task folder (${where}):`,
    '',
    '```sh',
    adoptCommand(target, patchPath),
    '```',
    '',
    `${check} ${portable}`,
  ];
}
