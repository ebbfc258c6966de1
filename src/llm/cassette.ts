// Cassettes: JSON-lines files of recorded LLM exchanges, keyed by a hash of the request, with secrets redacted.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { GenerateRequest } from './language-model.js';
import { redactSecrets, secretValues } from './redact-secrets.js';

export const cassetteVersion = 1;

const cassetteEntrySchema = z.object({
  version: z.literal(cassetteVersion),
  /** SHA-256 of the request's canonical JSON (signal excluded). */
  hash: z.string(),
  /** 0 for the first time this request was made, 1 for the second, … */
  occurrence: z.number().int().nonnegative(),
  provider: z.string(),
  modelId: z.string(),
  /** The model's `supportsJsonSchema` when the call was made (the replay reports the same). */
  supportsJsonSchema: z.boolean(),
  /** The request as sent (secrets redacted), for reading; lookups use `hash`. */
  request: z.record(z.string(), z.unknown()),
  response: z.object({
    text: z.string(),
    finishReason: z.enum(['stop', 'length', 'content-filter', 'error', 'other']),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
    latencyMs: z.number(),
  }),
});

export type CassetteEntry = z.infer<typeof cassetteEntrySchema>;

/** The request fields that decide the reply, in a fixed order (the abort signal is left out). */
export function requestForHash(request: GenerateRequest): Record<string, unknown> {
  return {
    role: request.role,
    system: request.system ?? null,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    jsonSchema: request.jsonSchema ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    temperature: request.temperature ?? null,
    seed: request.seed ?? null,
  };
}

/** Hex SHA-256 of the request's canonical JSON: equal requests give equal hashes across processes. */
export function requestHash(request: GenerateRequest): string {
  return sha256(canonicalJson(requestForHash(request)));
}

/** JSON with object keys sorted, so the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

/** Reads every entry of a cassette; a malformed line is a STATE_CORRUPT error naming the line. */
export function readCassette(path: string): CassetteEntry[] {
  if (!existsSync(path)) {
    throw new BilevelError('CONFIG', `cassette not found: ${path}`, {
      hint: 'Record one first with --record FILE, or check the path after replay:.',
    });
  }
  const lines = readFileSync(path, 'utf8').split('\n');
  const entries: CassetteEntry[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new BilevelError('STATE_CORRUPT', `cassette ${path} line ${index + 1} is not JSON`, { cause: error });
    }
    const checked = cassetteEntrySchema.safeParse(parsed);
    if (!checked.success) {
      throw new BilevelError('STATE_CORRUPT', `cassette ${path} line ${index + 1}: ${z.prettifyError(checked.error)}`, {
        hint: 'Record the cassette again with --record FILE.',
      });
    }
    entries.push(checked.data);
  });
  return entries;
}

/** Appends entries to one cassette file; shared by every model recording to that path in this process. */
export interface CassetteWriter {
  readonly path: string;
  /** Writes one exchange; returns the entry as written (redacted). */
  append(entry: Omit<CassetteEntry, 'version' | 'occurrence'>): CassetteEntry;
}

const writers = new Map<string, CassetteWriter>();

/**
 * The writer for `path`. An existing file is extended (a resumed run adds to its recording): occurrence
 * counts continue from what the file holds. Delete the file to record from scratch.
 */
export function cassetteWriter(path: string, env: NodeJS.ProcessEnv = process.env): CassetteWriter {
  const absolute = resolve(path);
  const existing = writers.get(absolute);
  if (existing) return existing;
  const occurrences = new Map<string, number>();
  if (existsSync(absolute)) {
    for (const entry of readCassette(absolute)) occurrences.set(entry.hash, (occurrences.get(entry.hash) ?? 0) + 1);
  } else {
    mkdirSync(dirname(absolute), { recursive: true });
  }
  const secrets = secretValues(env);
  const writer: CassetteWriter = {
    path: absolute,
    append(partial) {
      const occurrence = occurrences.get(partial.hash) ?? 0;
      occurrences.set(partial.hash, occurrence + 1);
      const entry: CassetteEntry = { version: cassetteVersion, occurrence, ...partial };
      const line = redactSecrets(JSON.stringify(entry), secrets);
      appendFileSync(absolute, `${line}\n`);
      return JSON.parse(line) as CassetteEntry;
    },
  };
  writers.set(absolute, writer);
  return writer;
}
