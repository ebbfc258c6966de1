// Content hashes used to pin prompts, protected files and mechanism sources.
import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string or bytes. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
