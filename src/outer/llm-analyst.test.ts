import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, promptText, startFakeOpenAiServer } from '../../test/fakes/fake-openai-server.js';
import { buildRandomSearchTrace, fixtureParams } from '../../test/fixtures/random-search-trace.js';
import { loadPrompt, renderTemplate } from '../core/prompts.js';
import { createLanguageModel } from '../llm/create-language-model.js';
import type { LanguageModel } from '../llm/language-model.js';
import type { AnalystInput } from './analyst.js';
import { analyzePromptVariables } from './analyze-prompt.js';
import { analyzePromptName, createLlmAnalyst } from './llm-analyst.js';
import { createOuterLoop } from './outer-loop.js';

const history = buildRandomSearchTrace(1, 40);
const input: AnalystInput = {
  cycle: 8,
  trialIndex: 40,
  params: fixtureParams,
  settings: { frozen: ['DEPTH'], strategy: 'balanced', guidance: 'Keep DEPTH near 8.' },
  history,
  direction: 'minimize',
  metricName: 'val_bpb',
  task: { name: 'synthetic', description: 'A seeded stand-in for a GPT training script.' },
};
const reply = (value: Record<string, unknown>) => ({ text: JSON.stringify(value) });
const good = {
  frozen: ['WEIGHT_DECAY', 'ADAM_BETA2'],
  strategy: 'exploit',
  guidance: 'Raise LEARNING_RATE in small steps; TOTAL_BATCH_SIZE below 100000 was kept twice.',
  rationale: 'WEIGHT_DECAY moved 7 times with no keep; ADAM_BETA2 4 times.',
};

describe('llm analyst against the local fake OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  let model: LanguageModel;

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    model = await createLanguageModel('openai-compatible:fake-analyst', {
      baseUrl: server.baseUrl,
      env: {},
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('fake server: applies a good reply and sends the rendered analyze prompt with a JSON schema', async () => {
    server.enqueue(reply(good));
    const result = await createLlmAnalyst({ model, historyLimit: 10 }).analyze(input);
    expect(result).toMatchObject({
      ok: true,
      settings: { frozen: ['WEIGHT_DECAY', 'ADAM_BETA2'], strategy: 'exploit', guidance: good.guidance },
      rationale: good.rationale,
    });
    expect(result.changes).toEqual(
      expect.arrayContaining([
        'froze WEIGHT_DECAY',
        'froze ADAM_BETA2',
        'unfroze DEPTH',
        'strategy balanced → exploit',
      ]),
    );
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    if (request === undefined) throw new Error('no request');
    const expected = renderTemplate(
      loadPrompt(analyzePromptName).text,
      analyzePromptVariables(input, { historyLimit: 10, minActive: 3 }),
    );
    expect(promptText(request)).toContain(expected);
    expect(promptText(request)).toContain('| WEIGHT_DECAY | 9 | 1 |');
    expect(JSON.stringify(request.body)).toContain('"search_settings"');
  });

  it('fake server: a malformed reply, twice, keeps the settings and records why', async () => {
    server.enqueue({ text: 'I think you should freeze WEIGHT_DECAY.' }, reply({ ...good, strategy: 'yolo' }));
    const result = await createLlmAnalyst({ model }).analyze(input);
    expect(result.ok).toBe(false);
    expect(result.settings).toEqual(input.settings);
    expect(result.changes).toEqual([]);
    expect(result.error).toMatch(/^no usable reply after 2 attempt\(s\): the JSON does not match the schema/);
    expect(result.error).toContain('strategy');
    expect(server.requests).toHaveLength(2);
    // The second request fed the first reply's problem back.
    expect(promptText(server.requests[1]!)).toContain('That reply was not accepted');
  });

  it('fake server: guidance over 600 characters is refused, then a valid retry is used', async () => {
    server.enqueue(reply({ ...good, guidance: 'x'.repeat(700) }), reply(good));
    const result = await createLlmAnalyst({ model }).analyze(input);
    expect(result.ok).toBe(true);
    expect(result.settings.guidance).toBe(good.guidance);
    expect(server.requests).toHaveLength(2);
  });

  it('fake server: unknown param names are dropped with a note; freezing everything keeps 3 params active', async () => {
    server.enqueue(reply({ ...good, frozen: ['DROPOUT', ...fixtureParams.map((param) => param.name)] }));
    const result = await createLlmAnalyst({ model }).analyze(input);
    expect(result.ok).toBe(true);
    expect(result.settings.frozen).toEqual(['LEARNING_RATE', 'WEIGHT_DECAY', 'TOTAL_BATCH_SIZE', 'DEPTH']);
    expect(result.changes).toContain(`dropped "DROPOUT" from the reply's frozen list: not a param of this task`);
    expect(result.changes).toContain('did not freeze ACTIVATION: at least 3 params must stay active');
  });

  it('fake server: a failed call (HTTP 500) keeps the settings for this cycle', async () => {
    server.enqueue({ status: 500, body: { error: { message: 'overloaded' } } });
    const result = await createLlmAnalyst({ model }).analyze(input);
    expect(result).toMatchObject({ ok: false, settings: input.settings });
    expect(result.error).toMatch(/^the analyze call failed: .*500/);
  });

  it('fake server: in the outer loop, a bad reply yields an ok:false snapshot with the previous settings', async () => {
    server.enqueue(reply(good), { text: 'not json' }, { text: 'still not json' });
    const loop = createOuterLoop({ analyst: createLlmAnalyst({ model }), everyTrials: 20 });
    const cycleInput = { params: fixtureParams, direction: 'minimize' as const, metricName: 'val_bpb' };
    const first = await loop.runCycle({ ...cycleInput, trialIndex: 20, history: history.slice(0, 21) });
    const second = await loop.runCycle({ ...cycleInput, trialIndex: 40, history });
    expect(first).toMatchObject({ ok: true, analyst: 'llm', settings: { frozen: good.frozen } });
    expect(second).toMatchObject({ ok: false, cycle: 2, settings: { frozen: good.frozen, strategy: 'exploit' } });
    expect(second.error).toContain('no usable reply');
  });
});
