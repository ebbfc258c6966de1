import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MessagesBody, startFakeAnthropicServer } from '../../test/fakes/fake-anthropic-server.js';
import {
  type ChatCompletionBody,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../../test/fakes/fake-openai-server.js';
import { BilevelError } from '../core/errors.js';
import { createLanguageModel } from './create-language-model.js';
import type { GenerateRequest } from './language-model.js';
import { LlmCallError, parseRetryAfter } from './llm-call-error.js';

const key = 'sk-test-0123456789abcdefghij';
const env = { OPENAI_API_KEY: key, OPENAI_COMPATIBLE_API_KEY: key, DEEPSEEK_API_KEY: key };
const hello: GenerateRequest = { role: 'propose', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] };
const fastRetry = { initialDelayMs: 5, maxDelayMs: 2000 };

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

function bodyOf(index: number): ChatCompletionBody {
  return server.requests[index]?.body as ChatCompletionBody;
}

describe('createLanguageModel: configuration errors come before any call', () => {
  test('an unknown provider is LLM_PROVIDER_UNKNOWN and lists the providers', async () => {
    const error = await createLanguageModel('gemini:pro', { env }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BilevelError);
    expect((error as BilevelError).code).toBe('LLM_PROVIDER_UNKNOWN');
    expect((error as BilevelError).hint).toMatch(/openai:.*anthropic:.*deepseek:.*openai-compatible:.*local:.*replay:/);
    expect((error as BilevelError).isUserError).toBe(true);
  });

  test.each([
    ['openai:gpt-4.1-mini', 'OPENAI_API_KEY'],
    ['anthropic:claude-haiku-4-5', 'ANTHROPIC_API_KEY'],
    ['deepseek:deepseek-chat', 'DEEPSEEK_API_KEY'],
  ])('%s without a key is LLM_KEY_MISSING naming %s', async (id, variable) => {
    const error = (await createLanguageModel(id, { env: {} }).catch((caught: unknown) => caught)) as BilevelError;
    expect(error.code).toBe('LLM_KEY_MISSING');
    expect(`${error.message} ${error.hint}`).toContain(variable);
  });

  test('openai-compatible without a base URL says to pass --llm-base-url; a model-less id is a usage error', async () => {
    const noUrl = (await createLanguageModel('openai-compatible:llama3', { env: {} }).catch(
      (caught: unknown) => caught,
    )) as BilevelError;
    expect(noUrl.code).toBe('CONFIG');
    expect(noUrl.hint).toContain('--llm-base-url');
    const noModel = (await createLanguageModel('openai:', { env }).catch((caught: unknown) => caught)) as BilevelError;
    expect(noModel.code).toBe('USAGE');
  });
});

describe('createLanguageModel against the fake OpenAI-compatible server', () => {
  test('openai-compatible: JSON reply with usage; the key goes in the Authorization header', async () => {
    server.enqueue({ text: 'hello there', usage: { inputTokens: 11, outputTokens: 3 } });
    const model = await createLanguageModel('openai-compatible:llama3', { baseUrl: server.baseUrl, env });
    const response = await model.generate({ ...hello, maxOutputTokens: 50, temperature: 0, seed: 9 });
    expect(response).toMatchObject({
      text: 'hello there',
      finishReason: 'stop',
      usage: { inputTokens: 11, outputTokens: 3 },
    });
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${key}`);
    expect(request?.body).toMatchObject({ model: 'llama3', max_tokens: 50, temperature: 0, seed: 9 });
    expect(model).toMatchObject({ provider: 'openai-compatible', modelId: 'llama3', supportsJsonSchema: true });
  });

  test('streaming (SSE): text pieces are joined and usage comes from the final chunk', async () => {
    server.enqueue({ text: 'streamed reply in pieces', usage: { inputTokens: 20, outputTokens: 6 } });
    const model = await createLanguageModel('openai-compatible:llama3', { baseUrl: server.baseUrl, env, stream: true });
    const response = await model.generate(hello);
    expect(response).toMatchObject({ text: 'streamed reply in pieces', usage: { inputTokens: 20, outputTokens: 6 } });
    expect(bodyOf(server.requests.length - 1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  test('a JSON-schema request is sent as response_format json_schema (strict when every field is required)', async () => {
    server.enqueue({ text: '{"a":1}' });
    const model = await createLanguageModel('openai:gpt-4.1-mini', { baseUrl: server.baseUrl, env });
    const schema = {
      type: 'object',
      properties: { a: { type: 'number' } },
      required: ['a'],
      additionalProperties: false,
    };
    await model.generate({ ...hello, jsonSchema: { name: 'thing', schema } });
    const body = bodyOf(server.requests.length - 1);
    // The openai provider must use chat completions (compatible servers lack the Responses API).
    expect(server.requests.at(-1)?.path).toBe('/v1/chat/completions');
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'thing', schema, strict: true } });
  });

  test('deepseek gets no json_schema (its API lacks it): the schema is put into the prompt instead', async () => {
    server.enqueue({ text: '{"a":1}' });
    const model = await createLanguageModel('deepseek:deepseek-chat', { baseUrl: server.baseUrl, env });
    expect(model.supportsJsonSchema).toBe(false);
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    await model.generate({ ...hello, jsonSchema: { name: 'thing', schema } });
    const body = bodyOf(server.requests.length - 1);
    expect(body.response_format).toBeUndefined();
    expect(JSON.stringify(body.messages)).toContain('JSON Schema');
  });

  test('a 429 with Retry-After, then a 503, then success: retried, honouring the wait', async () => {
    const before = server.requests.length;
    server.enqueue(
      { status: 429, headers: { 'retry-after-ms': '300' }, body: { error: { message: 'slow down' } } },
      { status: 503 },
      { text: 'finally' },
    );
    const retries: number[] = [];
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      retry: { ...fastRetry, onRetry: (event) => retries.push(event.delayMs) },
    });
    const started = performance.now();
    const response = await model.generate(hello);
    expect(response.text).toBe('finally');
    expect(server.requests.length - before).toBe(3);
    expect(retries[0]).toBeGreaterThanOrEqual(300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('an empty reply and a dropped connection are retried; a 401 is not, and its message holds no key', async () => {
    server.enqueue({ text: '' }, { dropConnection: true }, { text: 'ok now' });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      retry: fastRetry,
    });
    expect((await model.generate(hello)).text).toBe('ok now');

    const before = server.requests.length;
    server.enqueue({ status: 401, body: { error: { message: 'bad key' } } });
    const error = (await model.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error).toMatchObject({ code: 'LLM_CALL_FAILED', kind: 'http', status: 401, retryable: false });
    expect(error.hint).toMatch(/API key/);
    expect(`${error.message} ${error.hint}`).not.toContain(key);
    expect(server.requests.length - before).toBe(1);
  });

  test('a server echoing the key in its error body: the key is redacted from the error', async () => {
    const plainKey = 'plainkey0123456789XYZ';
    server.enqueue({ status: 401, body: { error: { message: `Incorrect API key provided: ${plainKey}` } } });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env: { OPENAI_COMPATIBLE_API_KEY: plainKey },
    });
    const error = (await model.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    expect(error.message).toContain('Incorrect API key provided: [REDACTED]');
    expect(error.message).not.toContain(plainKey);
  });

  test('empty replies on every try end as a retryable `empty` failure after maxRetries', async () => {
    const before = server.requests.length;
    server.enqueue({ text: '' }, { text: '  ' }, { text: '' });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      maxRetries: 2,
      retry: fastRetry,
    });
    const error = (await model.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    expect(error).toMatchObject({ kind: 'empty', retryable: true });
    expect(server.requests.length - before).toBe(3);
  });

  test('an outage longer than maxRetries: patience keeps retrying until the server is back; without it, the call fails', async () => {
    const outage = () => Array.from({ length: 6 }, () => ({ status: 503 }));
    const before = server.requests.length;
    server.enqueue(...outage(), { text: 'back' });
    const patient = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      maxRetries: 2,
      retry: { initialDelayMs: 5, maxDelayMs: 40, patienceMs: 30_000 },
    });
    expect((await patient.generate(hello)).text).toBe('back');
    expect(server.requests.length - before).toBe(7);

    const impatient = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      maxRetries: 2,
      retry: { initialDelayMs: 5, maxDelayMs: 40 },
    });
    server.enqueue(...outage(), { text: 'back' });
    const error = (await impatient.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true, outage: true });
    expect(server.requests.length - before).toBe(7 + 3);
    // Drain what the impatient call left queued, so later tests start from an empty script.
    await patient.generate(hello);
  });

  const malformedReplies = [
    ['no choices', { raw: '{"choices":[]}' }],
    [
      'content of the wrong type',
      {
        raw: JSON.stringify({
          id: 'x',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 123 }, finish_reason: 'stop' }],
        }),
      },
    ],
    ['a body that is not JSON', { raw: 'this is not JSON at all', contentType: 'text/plain' }],
    [
      'an event stream to a plain request',
      { raw: 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n', contentType: 'text/event-stream' },
    ],
    ['JSON null', { raw: 'null' }],
    ['a truncated JSON body', { raw: '{"choices":[{"message":' }],
  ] as const;

  test.each(malformedReplies)(
    'a malformed HTTP 200 (%s) is an `invalid-response`: retried maxRetries times, never for the patience',
    async (_label, reply) => {
      const before = server.requests.length;
      server.enqueue(reply, reply, reply);
      const model = await createLanguageModel('openai-compatible:llama3', {
        baseUrl: server.baseUrl,
        env,
        maxRetries: 2,
        retry: { initialDelayMs: 5, maxDelayMs: 40, patienceMs: 60_000 },
      });
      const error = (await model.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
      expect(error).toBeInstanceOf(LlmCallError);
      expect(error).toMatchObject({ kind: 'invalid-response', retryable: true, outage: false, configuration: false });
      expect(server.requests.length - before).toBe(3);
    },
  );

  test('a malformed 200, then a good reply: the retry gets the reply', async () => {
    server.enqueue({ raw: '{"choices":[]}' }, { text: 'fine' });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      retry: fastRetry,
    });
    expect((await model.generate(hello)).text).toBe('fine');
  });

  test('a reply cut off mid-body is a dropped connection (an outage), retried through the patience', async () => {
    server.enqueue({ truncated: '{"choices":[{"message":' }, { truncated: '{"id":' }, { text: 'whole' });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      maxRetries: 0,
      retry: { initialDelayMs: 5, maxDelayMs: 40, patienceMs: 30_000 },
    });
    expect((await model.generate(hello)).text).toBe('whole');
  });

  test('refusals: a 401 or 404 is the configuration at once; an odd 400 between answers is not; three in a row are', async () => {
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      retry: fastRetry,
    });
    const failure = async () => (await model.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    server.enqueue({ status: 401, body: { error: { message: 'bad key' } } });
    expect(await failure()).toMatchObject({ kind: 'http', status: 401, configuration: true });
    server.enqueue({ status: 404, body: { error: { message: 'no such model' } } });
    expect(await failure()).toMatchObject({ status: 404, configuration: true });
    server.enqueue({ text: 'fine' }, { status: 400, body: 'odd' }, { status: 400, body: 'odd' }, { text: 'fine' });
    expect((await model.generate(hello)).text).toBe('fine');
    expect(await failure()).toMatchObject({ status: 400, configuration: false });
    expect(await failure()).toMatchObject({ status: 400, configuration: false });
    expect((await model.generate(hello)).text).toBe('fine');
    server.enqueue({ status: 400 }, { status: 422 }, { status: 400 });
    expect(await failure()).toMatchObject({ configuration: false });
    expect(await failure()).toMatchObject({ configuration: false });
    const third = await failure();
    expect(third).toMatchObject({ status: 400, configuration: true });
    expect(third.message).toContain('3 calls in a row refused');
  });

  test('a reply slower than the per-call timeout is a `timeout` failure, and the retry can succeed', async () => {
    server.enqueue({ text: 'too late', delayMs: 3000 });
    const strict = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      timeoutMs: 300,
      maxRetries: 0,
    });
    const started = performance.now();
    const error = (await strict.generate(hello).catch((caught: unknown) => caught)) as LlmCallError;
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toContain('300 ms');
    expect(performance.now() - started).toBeLessThan(2500);

    server.enqueue({ text: 'too late', delayMs: 3000 }, { text: 'in time' });
    const patient = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      timeoutMs: 300,
      retry: fastRetry,
    });
    expect((await patient.generate(hello)).text).toBe('in time');
  });

  test('a cut-off reply is returned with finishReason length', async () => {
    server.enqueue({ text: '{"summary": "half', finishReason: 'length' });
    const model = await createLanguageModel('openai-compatible:llama3', { baseUrl: server.baseUrl, env });
    expect(await model.generate(hello)).toMatchObject({ finishReason: 'length', text: '{"summary": "half' });
  });

  test('the caller aborting stops the call without retries', async () => {
    server.enqueue({ text: 'slow', delayMs: 2000 });
    const model = await createLanguageModel('openai-compatible:llama3', {
      baseUrl: server.baseUrl,
      env,
      retry: fastRetry,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await model
      .generate({ ...hello, signal: controller.signal })
      .catch((caught: unknown) => caught)) as LlmCallError;
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
  });
});

describe('createLanguageModel against the fake Anthropic server', () => {
  test.each([
    ['native structured output, JSON', 'claude-haiku-4-5', false],
    ['json tool use, JSON', 'claude-3-haiku-20240307', false],
    ['native structured output, SSE', 'claude-haiku-4-5', true],
    ['json tool use, SSE', 'claude-3-haiku-20240307', true],
  ])('%s: the JSON reply arrives as text with usage', async (_label, modelId, stream) => {
    const anthropic = await startFakeAnthropicServer([
      { text: '{"a":2}', usage: { inputTokens: 30, outputTokens: 4 } },
    ]);
    try {
      const model = await createLanguageModel(`anthropic:${modelId}`, {
        baseUrl: anthropic.baseUrl,
        env: { ANTHROPIC_API_KEY: 'ak-test-0123456789' },
        stream,
      });
      const schema = {
        type: 'object',
        properties: { a: { type: 'number' } },
        required: ['a'],
        additionalProperties: false,
      };
      const response = await model.generate({ ...hello, maxOutputTokens: 100, jsonSchema: { name: 'thing', schema } });
      expect(response).toMatchObject({ text: '{"a":2}', usage: { inputTokens: 30, outputTokens: 4 } });
      expect(anthropic.requests[0]?.headers['x-api-key']).toBe('ak-test-0123456789');
      const body = anthropic.requests[0]?.body as MessagesBody;
      expect(body).toMatchObject({ model: modelId, max_tokens: 100, system: [{ text: 'Be brief.' }] });
      if (modelId.startsWith('claude-3')) expect(body.tools?.[0]?.name).toBe('json');
      else expect(body.output_config?.format?.type).toBe('json_schema');
    } finally {
      await anthropic.close();
    }
  });
});

test('parseRetryAfter reads milliseconds, seconds and HTTP dates', () => {
  expect(parseRetryAfter({ 'retry-after-ms': '250' })).toBe(250);
  expect(parseRetryAfter({ 'Retry-After': '2' })).toBe(2000);
  expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
  expect(parseRetryAfter({})).toBeUndefined();
});
