// Structured output: ask any LanguageModel for a value matching a zod schema, validate it, retry with the error.
import { z } from 'zod';
import { extractJson } from './extract-json.js';
import type { GenerateRequest, LanguageModel, LlmMessage } from './language-model.js';

export type StructuredRequest = Omit<GenerateRequest, 'jsonSchema'> & {
  /** Names the JSON Schema for providers that label it (letters, digits, `_`, `-`). */
  schemaName: string;
  /**
   * The JSON Schema sent, when it can say more than the zod schema (e.g. each param name an enum): grammar
   * decoders then produce valid replies, not only well-shaped ones. Default: the zod schema's. The reply is
   * still validated against the zod schema, whose messages the caller turns into reasons.
   */
  sentSchema?: Record<string, unknown>;
};

export type StructuredResult<T> =
  | { ok: true; value: T; attempts: number }
  | {
      ok: false;
      /** Why the last reply was not accepted, in words fit to show a user or feed back to the model. */
      reason: string;
      /** The last reply's raw text (may be empty). */
      lastText: string;
      attempts: number;
    };

/** Longest invalid reply echoed back to the model on a retry, in characters. */
const maxEchoedReply = 4000;

/**
 * Asks `model` for a JSON value matching `schema`. Uses the provider's JSON-schema mode when
 * `model.supportsJsonSchema`, else instructions plus extraction of the first JSON object from the text.
 * An invalid, empty or cut-off reply is retried (up to `maxAttempts`, default 2) with the reason fed back.
 * Failed calls (network, HTTP errors after the model's own retries) are thrown, not returned.
 */
export async function generateStructured<T>(
  model: LanguageModel,
  schema: z.ZodType<T>,
  request: StructuredRequest,
  options: { maxAttempts?: number } = {},
): Promise<StructuredResult<T>> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 2);
  const { schemaName, sentSchema, ...baseRequest } = request;
  const jsonSchema = sentSchema ?? toJsonSchema(schema);
  const system = model.supportsJsonSchema
    ? baseRequest.system
    : joinParagraphs(baseRequest.system, jsonInstructions(jsonSchema));
  const messages: LlmMessage[] = [...baseRequest.messages];
  let reason = '';
  let lastText = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const response = await model.generate({
      ...baseRequest,
      ...(system === undefined ? {} : { system }),
      messages: [...messages],
      ...(model.supportsJsonSchema ? { jsonSchema: { name: schemaName, schema: jsonSchema } } : {}),
    });
    lastText = response.text;
    const checked = checkReply(schema, response.text, response.finishReason, baseRequest.maxOutputTokens);
    if (checked.ok) return { ok: true, value: checked.value, attempts: attempt };
    reason = checked.reason;
    messages.push(
      { role: 'assistant', content: clip(response.text, maxEchoedReply) || '(empty reply)' },
      {
        role: 'user',
        content: `That reply was not accepted: ${reason}\nReply again with only one JSON object that matches the schema.`,
      },
    );
  }
  return { ok: false, reason, lastText, attempts: maxAttempts };
}

/** The JSON Schema sent to providers: zod's draft-7 output without the `$schema` marker some servers reject. */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  return rest;
}

function checkReply<T>(
  schema: z.ZodType<T>,
  text: string,
  finishReason: string,
  maxOutputTokens: number | undefined,
): { ok: true; value: T } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: false, reason: 'the reply was empty' };
  const extracted = extractJson(text);
  if (!extracted.ok) {
    if (finishReason === 'length') {
      const limit = maxOutputTokens === undefined ? '' : ` (${maxOutputTokens} tokens)`;
      return { ok: false, reason: `the reply was cut off at the output limit${limit}; answer more briefly` };
    }
    return { ok: false, reason: extracted.reason };
  }
  const parsed = schema.safeParse(extracted.value);
  if (!parsed.success)
    return { ok: false, reason: `the JSON does not match the schema:\n${z.prettifyError(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

function jsonInstructions(jsonSchema: Record<string, unknown>): string {
  return [
    'Reply with exactly one JSON object and nothing else (no prose, no code fence needed).',
    'It must match this JSON Schema:',
    JSON.stringify(jsonSchema),
  ].join('\n');
}

function joinParagraphs(first: string | undefined, second: string): string {
  return first === undefined || first === '' ? second : `${first}\n\n${second}`;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…`;
}
