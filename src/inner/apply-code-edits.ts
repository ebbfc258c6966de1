// Applies search/replace edits to a task's editable files, all or nothing, refusing anything outside them.
import { lstat, readFile, realpath, writeFile } from 'node:fs/promises';
import { join, posix, win32 } from 'node:path';
import type { CodeEdit } from '../records/proposal.js';
import { normalizeTaskPath } from '../task/check-task-files.js';
import type { TaskDefinition } from '../task/task-definition.js';

export type ApplyCodeEditsResult = { ok: true; changedFiles: string[] } | { ok: false; reason: string };

/**
 * Applies `edits` in order to the files under `dir` (a working copy of the task). Each edit's `search` must
 * occur exactly once in the file as left by the edits before it. Nothing is written unless every edit
 * applies; `changedFiles` lists the files whose text changed. Reasons are written for the proposer.
 */
export async function applyCodeEdits(
  dir: string,
  definition: TaskDefinition,
  edits: CodeEdit[],
): Promise<ApplyCodeEditsResult> {
  if (edits.length === 0)
    return { ok: false, reason: 'the proposal has no edits; give at least one search/replace edit' };
  const editable = definition.editable.map(normalizeTaskPath);
  const protectedFiles = definition.protected.map(normalizeTaskPath);
  const allowed = `editable files: ${editable.join(', ')}`;
  const realDir = await realpath(dir);
  const originals = new Map<string, string>();
  const contents = new Map<string, string>();
  for (const [index, edit] of edits.entries()) {
    const label = `edit ${index + 1} (${JSON.stringify(edit.file)})`;
    const pathProblem = checkEditPath(edit.file, editable, protectedFiles);
    if (pathProblem) return { ok: false, reason: `${label}: ${pathProblem}; ${allowed}` };
    const file = normalizeTaskPath(edit.file);
    if (!contents.has(file)) {
      const problem = await checkRealFile(dir, realDir, file);
      if (problem) return { ok: false, reason: `${label}: ${problem}; ${allowed}` };
      const text = await readFile(join(dir, file), 'utf8');
      originals.set(file, text);
      contents.set(file, text);
    }
    if (edit.search.length === 0)
      return { ok: false, reason: `${label}: the search text is empty; copy the exact lines to replace` };
    const current = contents.get(file)!;
    const count = countOccurrences(current, edit.search);
    if (count === 0) {
      return {
        ok: false,
        reason: `${label}: the search text occurs 0 times in the current file; copy it exactly, whitespace included`,
      };
    }
    if (count > 1) {
      return {
        ok: false,
        reason: `${label}: the search text occurs ${count} times; include more surrounding lines so it matches exactly once`,
      };
    }
    const at = current.indexOf(edit.search);
    contents.set(file, current.slice(0, at) + edit.replace + current.slice(at + edit.search.length));
  }
  const changedFiles = [...contents].filter(([file, text]) => originals.get(file) !== text).map(([file]) => file);
  for (const file of changedFiles) await writeFile(join(dir, file), contents.get(file)!);
  return { ok: true, changedFiles };
}

function checkEditPath(path: unknown, editable: string[], protectedFiles: string[]): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'the file name is empty';
  if (path.includes('\0')) return 'the file name contains a NUL character';
  if (posix.isAbsolute(path) || win32.isAbsolute(path)) return 'absolute paths are not allowed';
  if (path.split(/[\\/]/).includes('..')) return '".." is not allowed in a path';
  const file = normalizeTaskPath(path);
  if (protectedFiles.includes(file)) return 'this file is protected (the harness) and cannot be edited';
  if (!editable.includes(file)) return 'this file is not editable';
  return undefined;
}

/** Rejects links and anything whose real location is not the listed file inside the task folder. */
async function checkRealFile(dir: string, realDir: string, file: string): Promise<string | undefined> {
  const absolute = join(dir, file);
  try {
    if ((await lstat(absolute)).isSymbolicLink()) return 'the file is a symbolic link, which edits may not follow';
    if ((await realpath(absolute)) !== join(realDir, file)) return 'the file resolves outside the task folder';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'the file does not exist';
    throw error;
  }
  return undefined;
}

/** Counts overlapping occurrences, so an ambiguous match such as "aa" in "aaa" counts twice. */
function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) count++;
  return count;
}
