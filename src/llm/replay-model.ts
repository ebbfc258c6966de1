// The `replay:CASSETTE` model: answers from a recorded cassette, offline, in the recorded order.
import { basename } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { type CassetteEntry, readCassette, requestHash } from './cassette.js';
import type { LanguageModel } from './language-model.js';

/**
 * Replays `cassettePath`. Each request is looked up by its hash; a request made n times gets the n recorded
 * replies in order. A request that was never recorded (or asked once more than recorded) is an
 * `LLM_REPLAY_MISS` naming its hash.
 */
export function createReplayModel(cassettePath: string): LanguageModel {
  const entries = readCassette(cassettePath);
  const byHash = new Map<string, CassetteEntry[]>();
  for (const entry of entries) {
    const list = byHash.get(entry.hash) ?? [];
    list[entry.occurrence] = entry;
    byHash.set(entry.hash, list);
  }
  const served = new Map<string, number>();
  const used = new Set<CassetteEntry>();
  return {
    specificationVersion: 'language-model-v1',
    provider: 'replay',
    modelId: basename(cassettePath),
    /** What the recorded model said for the next call (the earliest entry not yet replayed). */
    get supportsJsonSchema() {
      return entries.find((entry) => !used.has(entry))?.supportsJsonSchema ?? entries[0]?.supportsJsonSchema ?? false;
    },
    async generate(request) {
      if (request.signal?.aborted) throw new BilevelError('LLM_CALL_FAILED', 'the LLM call was aborted');
      const hash = requestHash(request);
      const occurrence = served.get(hash) ?? 0;
      const entry = byHash.get(hash)?.[occurrence];
      if (entry === undefined) {
        const recorded = byHash.get(hash)?.length ?? 0;
        throw new BilevelError(
          'LLM_REPLAY_MISS',
          `cassette ${cassettePath} has no reply for request ${hash.slice(0, 16)} (role ${request.role}, ` +
            `call ${occurrence + 1}; recorded ${recorded} time${recorded === 1 ? '' : 's'})`,
          {
            hint: 'The prompt, model settings or run changed since recording: record again with --record FILE.',
          },
        );
      }
      served.set(hash, occurrence + 1);
      used.add(entry);
      return { ...entry.response, usage: { ...entry.response.usage } };
    },
  };
}
