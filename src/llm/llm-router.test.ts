import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../test/fakes/fake-openai-server.js';
import type { BilevelError } from '../core/errors.js';
import type { GenerateRequest, LlmRole } from './language-model.js';
import { createLlmRouter } from './llm-router.js';
import type { LlmCallRecord } from './with-accounting.js';

const env = {
  OPENAI_API_KEY: 'sk-test-0123456789abcdefghij',
  OPENAI_COMPATIBLE_API_KEY: 'sk-test-0123456789abcdefghij',
};
/** $1 per million tokens each way: 1,000 + 1,000 tokens cost $0.002. */
const prices = { 'openai-compatible:priced': { input: 1, output: 1 } };
const usage = { inputTokens: 1000, outputTokens: 1000 };

function ask(role: LlmRole, content = 'hi'): GenerateRequest {
  return { role, messages: [{ role: 'user', content }] };
}

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

describe('createLlmRouter against the fake OpenAI-compatible server', () => {
  test('one --llm for all roles by default, overridable per role', async () => {
    const router = await createLlmRouter({
      default: 'openai-compatible:small',
      roles: { research: 'openai-compatible:large' },
      baseUrl: server.baseUrl,
      env,
    });
    expect(router.assignments).toEqual({
      propose: 'openai-compatible:small',
      analyze: 'openai-compatible:small',
      research: 'openai-compatible:large',
      fix: 'openai-compatible:small',
    });
    expect(router.forRole('propose')).toBe(router.forRole('fix'));
    server.enqueue({ text: 'a' }, { text: 'b' });
    await router.forRole('propose').generate(ask('propose'));
    await router.forRole('research').generate(ask('research'));
    const models = server.requests.slice(-2).map((request) => (request.body as { model: string }).model);
    expect(models).toEqual(['small', 'large']);
  });

  test('a missing key fails when the router is built, before any call', async () => {
    const error = (await createLlmRouter({
      default: 'openai-compatible:small',
      roles: { analyze: 'anthropic:claude-haiku-4-5' },
      baseUrl: server.baseUrl,
      env,
    }).catch((caught: unknown) => caught)) as BilevelError;
    expect(error.code).toBe('LLM_KEY_MISSING');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
  });

  test('every call is recorded: role, model, prompt hash, tokens, latency, cost; failures too', async () => {
    const records: LlmCallRecord[] = [];
    const router = await createLlmRouter({
      default: 'openai-compatible:priced',
      baseUrl: server.baseUrl,
      env,
      prices,
      maxRetries: 0,
      onCall: (record) => records.push(record),
    });
    server.enqueue({ text: 'ok', usage }, { status: 400, body: { error: { message: 'bad request' } } });
    await router.forRole('analyze').generate(ask('analyze', 'first'));
    await expect(router.forRole('propose').generate(ask('propose', 'second'))).rejects.toMatchObject({
      code: 'LLM_CALL_FAILED',
    });
    expect(records[0]).toMatchObject({
      role: 'analyze',
      provider: 'openai-compatible',
      model: 'priced',
      inputTokens: 1000,
      outputTokens: 1000,
      ok: true,
    });
    expect(records[0]?.costUsd).toBeCloseTo(0.002, 10);
    expect(records[0]?.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(records[0]?.promptHash).not.toBe(records[1]?.promptHash);
    expect(records[1]).toMatchObject({ role: 'propose', ok: false, costUsd: 0, inputTokens: 0 });
    expect(records[1]?.error).toContain('HTTP 400');
    expect(router.spent).toEqual({ costUsd: expect.closeTo(0.002, 10), calls: 2 });
  });

  test('--max-llm-calls stops before the call that would pass it; a resumed router with a higher cap goes on', async () => {
    const spent = { costUsd: 0, calls: 0 };
    const router = await createLlmRouter({
      default: 'openai-compatible:priced',
      baseUrl: server.baseUrl,
      env,
      budget: { maxCalls: 2 },
      spent,
    });
    server.enqueue({ text: 'one' }, { text: 'two' });
    await router.forRole('propose').generate(ask('propose'));
    await router.forRole('propose').generate(ask('propose'));
    const before = server.requests.length;
    const error = (await router
      .forRole('propose')
      .generate(ask('propose'))
      .catch((caught: unknown) => caught)) as BilevelError;
    expect(error.code).toBe('LLM_BUDGET_EXHAUSTED');
    expect(error.message).toContain('2 of 2 calls');
    expect(error.hint).toContain('bilevel resume');
    expect(server.requests.length).toBe(before);

    // Resume: spend restored from the stored records, cap raised.
    const resumed = await createLlmRouter({
      default: 'openai-compatible:priced',
      baseUrl: server.baseUrl,
      env,
      budget: { maxCalls: 3 },
      spent: { ...spent },
    });
    server.enqueue({ text: 'three' });
    expect((await resumed.forRole('propose').generate(ask('propose'))).text).toBe('three');
    expect(resumed.spent.calls).toBe(3);
  });

  test('--max-cost-usd stops before a call expected to pass the cap', async () => {
    const router = await createLlmRouter({
      default: 'openai-compatible:priced',
      baseUrl: server.baseUrl,
      env,
      prices,
      budget: { maxCostUsd: 0.005 },
    });
    server.enqueue({ text: '1', usage }, { text: '2', usage });
    await router.forRole('propose').generate(ask('propose'));
    await router.forRole('propose').generate(ask('propose'));
    // $0.004 spent, the next call is expected to cost $0.002: $0.006 > $0.005.
    const error = (await router
      .forRole('propose')
      .generate(ask('propose'))
      .catch((caught: unknown) => caught)) as BilevelError;
    expect(error.code).toBe('LLM_BUDGET_EXHAUSTED');
    expect(error.message).toMatch(/cost cap reached: \$0\.0040 spent/);
  });
});
