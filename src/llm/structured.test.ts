import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  type ChatCompletionBody,
  type FakeOpenAiServer,
  promptText,
  startFakeOpenAiServer,
} from '../../test/fakes/fake-openai-server.js';
import { createLanguageModel } from './create-language-model.js';
import { generateStructured } from './structured.js';

const schema = z.strictObject({
  summary: z.string(),
  values: z.array(z.strictObject({ name: z.string(), value: z.number() })).min(1),
});
const request = {
  role: 'propose' as const,
  schemaName: 'proposal',
  messages: [{ role: 'user' as const, content: 'Propose.' }],
};
const good = '{"summary":"raise lr","values":[{"name":"LR","value":0.01}]}';
const env = { OPENAI_COMPATIBLE_API_KEY: 'sk-test-0123456789abcdefghij' };
const fastRetry = { initialDelayMs: 5 };

const servers: FakeOpenAiServer[] = [];
async function serverWith(jsonSchema: 'supported' | 'ignored' | 'rejected') {
  const server = await startFakeOpenAiServer({ jsonSchema });
  servers.push(server);
  return server;
}
let supported: FakeOpenAiServer;
beforeAll(async () => {
  supported = await serverWith('supported');
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('generateStructured against the fake OpenAI-compatible server', () => {
  test('with JSON-schema support: sends the zod schema as response_format and returns the parsed value', async () => {
    supported.enqueue({ text: good });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: supported.baseUrl, env });
    const result = await generateStructured(model, schema, request);
    expect(result).toEqual({
      ok: true,
      value: { summary: 'raise lr', values: [{ name: 'LR', value: 0.01 }] },
      attempts: 1,
    });
    const body = supported.requests.at(-1)?.body as ChatCompletionBody;
    expect(body.response_format?.type).toBe('json_schema');
    expect(body.response_format?.json_schema?.name).toBe('proposal');
    expect(JSON.stringify(body.response_format?.json_schema?.schema)).toContain('"minItems":1');
  });

  test('malformed JSON, then valid: the second request carries the parse error back', async () => {
    supported.enqueue({ text: '{"summary": "raise lr", values: [' }, { text: good });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: supported.baseUrl, env });
    const result = await generateStructured(model, schema, request);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const retry = promptText(supported.requests.at(-1)!);
    expect(retry).toContain('That reply was not accepted');
    expect(retry).toContain('{"summary": "raise lr", values: [');
  });

  test('a schema violation on every attempt fails with the validation error and the last text', async () => {
    const bad = '{"summary":"x","values":[]}';
    supported.enqueue({ text: bad }, { text: bad }, { text: bad });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: supported.baseUrl, env });
    const result = await generateStructured(model, schema, request, { maxAttempts: 3 });
    expect(result).toMatchObject({ ok: false, attempts: 3, lastText: bad });
    if (!result.ok) expect(result.reason).toMatch(/does not match the schema[\s\S]*values/);
    expect(promptText(supported.requests.at(-1)!)).toMatch(/Too small|>=1/);
  });

  test('a reply cut off at the token limit is reported as such', async () => {
    supported.enqueue({ text: '{"summary":"a long', finishReason: 'length' });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: supported.baseUrl, env });
    const result = await generateStructured(model, schema, { ...request, maxOutputTokens: 20 }, { maxAttempts: 1 });
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    if (!result.ok) expect(result.reason).toContain('cut off at the output limit (20 tokens)');
  });

  test('a server that refuses json_schema (400): falls back to the schema in the prompt, and extracts fenced JSON', async () => {
    const server = await serverWith('rejected');
    server.enqueue({ text: `Sure! Here is my proposal:\n\`\`\`json\n${good}\n\`\`\`\nHope it helps {not json}.` });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: server.baseUrl, env, retry: fastRetry });
    const result = await generateStructured(model, schema, request);
    expect(result).toMatchObject({ ok: true, attempts: 1, value: { summary: 'raise lr' } });
    expect(server.requests).toHaveLength(2);
    expect((server.requests[1]!.body as ChatCompletionBody).response_format).toBeUndefined();
    expect(promptText(server.requests[1]!)).toContain('JSON Schema');
    expect(model.supportsJsonSchema).toBe(false);
  });

  test('jsonSchema off (a server that ignores it): instructions in the system prompt, JSON found amid prose', async () => {
    const server = await serverWith('ignored');
    server.enqueue({ text: `I think {this} is wrong; answer: ${good} done.` });
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: server.baseUrl, env, jsonSchema: false });
    const result = await generateStructured(model, schema, request);
    expect(result).toMatchObject({ ok: true, value: { values: [{ name: 'LR', value: 0.01 }] } });
    const body = server.requests[0]?.body as ChatCompletionBody;
    expect(body.response_format).toBeUndefined();
    expect(body.messages[0]).toMatchObject({ role: 'system' });
    expect(JSON.stringify(body.messages[0])).toContain('Reply with exactly one JSON object');
  });
});
