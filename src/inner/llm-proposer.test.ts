import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeAnthropicServer } from '../../test/fakes/fake-anthropic-server.js';
import {
  type ChatCompletionBody,
  type FakeOpenAiServer,
  promptText,
  startFakeOpenAiServer,
} from '../../test/fakes/fake-openai-server.js';
import { syntheticContext, syntheticHistory } from '../../test/fixtures/llm-proposer-fixtures.js';
import { sha256 } from '../core/hash.js';
import { loadPrompt } from '../core/prompts.js';
import { createLanguageModel } from '../llm/create-language-model.js';
import { createLlmRouter } from '../llm/llm-router.js';
import { createLlmProposer } from './llm-proposer.js';

const env = { OPENAI_COMPATIBLE_API_KEY: 'sk-test-0123456789abcdefghij', ANTHROPIC_API_KEY: 'ak-test-0123456789' };
const reply = (values: { name: string; value: unknown }[], summary = 'lower the learning rate') =>
  JSON.stringify({ summary, rationale: 'the loss curve looked unstable', values });

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

async function paramsProposer() {
  const model = await createLanguageModel('openai-compatible:m', {
    baseUrl: server.baseUrl,
    env,
    retry: { initialDelayMs: 5 },
  });
  return createLlmProposer({ model, mode: 'params' });
}

describe('LLM proposer, params mode, against the fake OpenAI-compatible server', () => {
  test('a valid reply becomes a params proposal; the prompt shows current values, settings and history', async () => {
    const proposer = await paramsProposer();
    expect(proposer.name).toBe('llm:openai-compatible:m');
    server.enqueue({
      text: reply([
        { name: 'LEARNING_RATE', value: 0.001 },
        { name: 'ACTIVATION', value: 'gelu' },
      ]),
    });
    const context = syntheticContext({
      history: syntheticHistory(30),
      trialCount: 30,
      trialIndex: 30,
      seed: 777,
      settings: { frozen: ['DROPOUT'], strategy: 'explore', guidance: 'try smaller batches' },
      guidance: ['tabu: BATCH_SIZE=64 tried twice'],
    });
    const result = await proposer.propose(context);
    // ACTIVATION already equals "gelu": only the change is kept.
    expect(result).toEqual({
      ok: true,
      proposal: {
        kind: 'params',
        values: { LEARNING_RATE: 0.001 },
        summary: 'lower the learning rate',
        rationale: 'the loss curve looked unstable',
      },
    });
    const request = server.requests.at(-1)!;
    const body = request.body as ChatCompletionBody;
    expect(body.seed).toBe(777);
    expect(body.response_format?.json_schema?.name).toBe('params_proposal');
    const prompt = promptText(request);
    expect(prompt).toContain('| LEARNING_RATE | number, log scale | 0.0001 … 0.1 | 0.003 |');
    expect(prompt).toContain('frozen (must not change): DROPOUT');
    expect(prompt).toContain('try smaller batches');
    expect(prompt).toContain('tabu: BATCH_SIZE=64 tried twice');
    expect(prompt).toMatch(/\| 29 \| \d+ \| \w+ \|/);
  });

  test('malformed JSON is a rejection with the reason; the retry shows that reason and succeeds', async () => {
    const proposer = await paramsProposer();
    server.enqueue({ text: '{"summary": "oops", "values": [{"name": "LEARNING_RATE", "value": 0.001' });
    const first = await proposer.propose(syntheticContext());
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.reason).toMatch(/^unusable reply: the JSON object is not closed/);

    server.enqueue({ text: reply([{ name: 'LEARNING_RATE', value: 0.001 }]) });
    const second = await proposer.propose(syntheticContext({ attempt: 1, feedback: first.reason }));
    expect(second.ok).toBe(true);
    const prompt = promptText(server.requests.at(-1)!);
    expect(prompt).toContain('Your previous proposal for this trial was rejected');
    expect(prompt).toContain('the JSON object is not closed');
  });

  test('an unknown param is rejected, naming it and the known params', async () => {
    const proposer = await paramsProposer();
    server.enqueue({ text: reply([{ name: 'MOMENTUM', value: 0.9 }]) });
    const result = await proposer.propose(syntheticContext());
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('"MOMENTUM" is not a param') });
    if (!result.ok) expect(result.reason).toContain('LEARNING_RATE, BATCH_SIZE');
  });

  test.each([
    [{ name: 'LEARNING_RATE', value: 5 }, 'LEARNING_RATE must lie in [0.0001, 0.1], not 5'],
    [{ name: 'N_LAYER', value: 2.5 }, 'N_LAYER must be a whole number'],
    [{ name: 'ACTIVATION', value: 'swish' }, 'ACTIVATION must be one of "gelu", "relu", "silu", "tanh"'],
    [{ name: 'DROPOUT', value: 0.2 }, 'DROPOUT is frozen'],
    [{ name: 'BATCH_SIZE', value: 64 }, 'the proposal changes nothing'],
  ])('an invalid value %o is rejected with the reason', async (value, reason) => {
    const proposer = await paramsProposer();
    server.enqueue({ text: reply([value]) });
    const result = await proposer.propose(
      syntheticContext({ settings: { frozen: ['DROPOUT'], strategy: 'balanced', guidance: '' } }),
    );
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });

  test('a malformed HTTP 200 on every retry is a rejected proposal with the reason; a 401 is thrown (configuration)', async () => {
    const proposer = await paramsProposer();
    const noChoices = { raw: '{"choices":[]}' };
    server.enqueue(noChoices, noChoices, noChoices, noChoices);
    const result = await proposer.propose(syntheticContext());
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^LLM call returned an unusable reply: Response did not contain any choices/),
    });
    server.enqueue({ status: 401, body: { error: { message: 'bad key' } } });
    await expect(proposer.propose(syntheticContext())).rejects.toMatchObject({
      code: 'LLM_CALL_FAILED',
      configuration: true,
    });
  });

  test('a number given as a numeric string is accepted as the number', async () => {
    const proposer = await paramsProposer();
    server.enqueue({ text: reply([{ name: 'N_LAYER', value: '6' }]) });
    expect(await proposer.propose(syntheticContext())).toMatchObject({
      ok: true,
      proposal: { values: { N_LAYER: 6 } },
    });
  });

  test('an empty reply is retried by the model and the proposal still arrives', async () => {
    const proposer = await paramsProposer();
    const before = server.requests.length;
    server.enqueue({ text: '' }, { text: reply([{ name: 'N_LAYER', value: 6 }]) });
    expect(await proposer.propose(syntheticContext())).toMatchObject({ ok: true });
    expect(server.requests.length - before).toBe(2);
  });

  test('records the SHA-256 of each prompt file it uses', async () => {
    const proposer = await paramsProposer();
    expect(proposer.prompts.map((prompt) => prompt.name)).toEqual(['propose-params', 'propose-code', 'fix-crash']);
    expect(proposer.prompts[0]?.sha256).toBe(sha256(loadPrompt('propose-params').text));
  });
});

describe('LLM proposer, code mode and crash fixes, against the fake OpenAI-compatible server', () => {
  const files = { 'train.ts': 'const LEARNING_RATE = 0.003;\nconst N_LAYER = 4;\nconsole.log("val_bpb: 1");\n' };
  const codeContext = (overrides = {}) =>
    syntheticContext({ files, task: { ...syntheticContext().task, mode: 'code' }, ...overrides });
  const edits = (list: { file: string; search: string; replace: string }[]) =>
    JSON.stringify({ summary: 'deeper model', rationale: 'more capacity', edits: list });

  test('valid edits become a code proposal; unknown files and non-unique searches are rejected', async () => {
    const model = await createLanguageModel('openai-compatible:m', { baseUrl: server.baseUrl, env });
    const proposer = createLlmProposer({ model, mode: 'code' });
    server.enqueue({
      text: edits([{ file: 'train.ts', search: 'const N_LAYER = 4;', replace: 'const N_LAYER = 6;' }]),
    });
    expect(await proposer.propose(codeContext())).toEqual({
      ok: true,
      proposal: {
        kind: 'code',
        edits: [{ file: 'train.ts', search: 'const N_LAYER = 4;', replace: 'const N_LAYER = 6;' }],
        summary: 'deeper model',
        rationale: 'more capacity',
      },
    });
    expect(promptText(server.requests.at(-1)!)).toContain('const LEARNING_RATE = 0.003;');

    server.enqueue({ text: edits([{ file: 'prepare.ts', search: 'x', replace: 'y' }]) });
    expect(await proposer.propose(codeContext())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not an editable file'),
    });
    server.enqueue({ text: edits([{ file: 'train.ts', search: 'const', replace: 'let' }]) });
    expect(await proposer.propose(codeContext())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('occurs 2 times'),
    });
  });

  test('fixCrash asks the `fix` model with the error tail, and declines past maxFixAttempts without a call', async () => {
    const router = await createLlmRouter({
      default: 'openai-compatible:proposer',
      roles: { fix: 'openai-compatible:fixer' },
      baseUrl: server.baseUrl,
      env,
    });
    const proposer = createLlmProposer({ model: router, mode: 'code', maxFixAttempts: 2 });
    const crashed = { 'train.ts': files['train.ts'].replace('0.003', '0.003x') };
    server.enqueue({ text: edits([{ file: 'train.ts', search: '0.003x', replace: '0.003' }]) });
    const context = {
      ...codeContext({ files: crashed }),
      proposal: {
        kind: 'code' as const,
        summary: 'raise lr',
        edits: [{ file: 'train.ts', search: '0.003', replace: '0.003x' }],
      },
      errorTail: 'SyntaxError: Invalid or unexpected token\n    at train.ts:1:24',
      fixAttempt: 0,
    };
    const fixed = await proposer.fixCrash?.(context);
    expect(fixed).toMatchObject({
      ok: true,
      proposal: { kind: 'code', edits: [{ search: '0.003x', replace: '0.003' }] },
    });
    const request = server.requests.at(-1)!;
    expect((request.body as ChatCompletionBody).model).toBe('fixer');
    expect(promptText(request)).toContain('SyntaxError: Invalid or unexpected token');
    expect(promptText(request)).toContain('fix attempt 1 of 2');

    const before = server.requests.length;
    const declined = await proposer.fixCrash?.({ ...context, fixAttempt: 2 });
    expect(declined).toMatchObject({ ok: false, reason: expect.stringContaining('2 fix attempt(s) allowed') });
    expect(server.requests.length).toBe(before);
  });
});

test('LLM proposer against the fake Anthropic server (JSON through tool use)', async () => {
  const anthropic = await startFakeAnthropicServer([{ text: reply([{ name: 'WARMUP_STEPS', value: 400 }]) }]);
  try {
    const model = await createLanguageModel('anthropic:claude-3-haiku-20240307', { baseUrl: anthropic.baseUrl, env });
    const proposer = createLlmProposer({ model, mode: 'params' });
    expect(await proposer.propose(syntheticContext())).toMatchObject({
      ok: true,
      proposal: { values: { WARMUP_STEPS: 400 } },
    });
  } finally {
    await anthropic.close();
  }
});
