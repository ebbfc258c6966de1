// Pins the task's protected files (the harness) by content hash, so a trial that changes them is caught.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { TaskDefinition } from './task-definition.js';

/** Relative path → hex SHA-256 of each file (protected, hidden); a missing one is an error (the task was loaded with it). */
export async function hashProtectedFiles(dir: string, paths: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const path of paths) {
    const content = await readIfPresent(join(dir, path));
    if (content === undefined) {
      throw new BilevelError('TASK_INVALID', `protected file "${path}" is missing from ${dir}`, {
        hint: 'Restore the file (protected files must exist before a run starts).',
      });
    }
    hashes[path] = sha256(content);
  }
  return hashes;
}

/**
 * The protected paths whose content differs from `expected`, or that are missing; empty when all match. Keys of
 * `expected` may be absolute (files outside `dir`, e.g. a task's external hidden data).
 */
export async function verifyProtectedFiles(
  dir: string,
  definition: Pick<TaskDefinition, 'protected'>,
  expected: Record<string, string>,
): Promise<string[]> {
  const changed: string[] = [];
  const paths = new Set([...definition.protected, ...Object.keys(expected)]);
  for (const path of paths) {
    const content = await readIfPresent(resolve(dir, path));
    if (content === undefined || sha256(content) !== expected[path]) changed.push(path);
  }
  return changed;
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Absolute path → SHA-256 of every file at or under each path (folders walked); absent paths are skipped. */
export async function hashExternalFiles(paths: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const visit = async (path: string): Promise<void> => {
    const content = await readIfPresent(path);
    if (content !== undefined) {
      hashes[path] = sha256(content);
      return;
    }
    const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw error;
    });
    for (const entry of entries) if (entry.isFile() || entry.isDirectory()) await visit(join(path, entry.name));
  };
  for (const path of paths) await visit(path);
  return hashes;
}
