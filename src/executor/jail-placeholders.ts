// The empty, unreadable file and folder (mode 000) that a jail lays over hidden paths; made once per process.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Placeholders } from './bwrap-arguments.js';

let made: (Placeholders & { root: string }) | undefined;

/**
 * In a private folder of the host's temp dir, which no jail sees (each has its own /tmp). Root without
 * capabilities cannot read them either, and their mounts are read-only, so they cannot be opened up.
 */
export function jailPlaceholders(): Placeholders {
  if (made) return made;
  const root = mkdtempSync(join(tmpdir(), 'bilevel-jail-'));
  const file = join(root, 'hidden-file');
  const folder = join(root, 'hidden-folder');
  writeFileSync(file, '');
  mkdirSync(folder);
  chmodSync(file, 0o000);
  chmodSync(folder, 0o000);
  made = { root, file, folder };
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return made;
}
