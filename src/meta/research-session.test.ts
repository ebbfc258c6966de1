import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatCompletionBody,
  type FakeOpenAiServer,
  promptText,
  startFakeOpenAiServer,
} from '../../test/fakes/fake-openai-server.js';
import { buildRandomSearchTrace } from '../../test/fixtures/random-search-trace.js';
import type { GateReport } from '../gate/run-gate.js';
import type { LibraryEntry } from '../library/library.js';
import { createLanguageModel } from '../llm/create-language-model.js';
import type { LanguageModel } from '../llm/language-model.js';
import { diagnoseTrace } from './diagnose-trace.js';
import { formatLibrary, metaPromptCharLimit } from './meta-prompt-context.js';
import { runResearchSession } from './research-session.js';

const long = (length: number) => 'x'.repeat(length);

/** Oversized replies for every round: the session must still keep each prompt within the bound. */
function hugeReply(schema: string): unknown {
  switch (schema) {
    case 'meta_explore':
      return {
        observations: long(20_000),
        candidates: Array.from({ length: 10 }, (_, index) => ({
          name: `c${index}`,
          field: long(3000),
          targets: long(3000),
          idea: long(5000),
        })),
      };
    case 'meta_critique':
      return { scores: [], selected: 'c1', rationale: long(5000) };
    case 'meta_specify':
      return {
        name: 'huge-one',
        description: long(5000),
        hooks: ['transformPrompt'],
        params: long(5000),
        state: long(5000),
        behaviour: long(20_000),
      };
    case 'meta_generate':
    case 'meta_repair':
      return { module: long(60_000), notes: long(5000), changes: long(5000) };
    default:
      throw new Error(`unexpected schema ${schema}`);
  }
}

const refused = (problems: string[]): GateReport => ({
  ok: false,
  stageReached: 'type-check',
  problems,
  sourceSha256: '0'.repeat(64),
  timings: {},
});

function libraryOf(count: number): LibraryEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `entry-${index}`,
    description: long(2000),
    hooks: ['transformPrompt'],
    inert: false,
    directory: `/library/entry-${index}`,
    provenance: {
      origin: 'generated' as const,
      addedAt: '2026-01-01T00:00:00.000Z',
      sourceSha256: '0'.repeat(64),
      compiledSha256: '0'.repeat(64),
      source: { runId: 'r', sessionId: `m${index}` },
      evidence: { targets: ['plateau'] },
    },
  }));
}

describe('research session against the local fake OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  let model: LanguageModel;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    model = await createLanguageModel('openai-compatible:fake-research', {
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
    server.setFallback(undefined);
  });

  it(`fake server: keeps every round's prompt within ${metaPromptCharLimit} characters on a 2,000-trial run with oversized replies`, async () => {
    server.setFallback((request) => {
      const body = request.body as ChatCompletionBody;
      return { text: JSON.stringify(hugeReply(body.response_format?.json_schema?.name ?? '')) };
    });
    const params = Array.from({ length: 80 }, (_, index) => `PARAM_WITH_A_LONG_NAME_${index}`);
    const diagnosis = diagnoseTrace(buildRandomSearchTrace(3, 2000), { direction: 'minimize', params });
    const result = await runResearchSession({
      model,
      task: long(10_000),
      diagnosis,
      library: formatLibrary(libraryOf(60), params),
      reservedNames: [...params, ...Array.from({ length: 2000 }, (_, index) => `library-entry-${index}`)],
      repairAttempts: 2,
      seed: 1,
      gate: async () => refused(Array.from({ length: 100 }, (_, index) => `mechanism.ts:${index}:1 ${long(2000)}`)),
    });
    expect(result.outcome).toBe('refused');
    expect(result.rounds.map((round) => round.round)).toEqual([
      'explore',
      'critique',
      'specify',
      'generate',
      'repair-1',
      'repair-2',
    ]);
    expect(result.attempts).toHaveLength(3);
    for (const round of result.rounds) {
      expect(round.prompt.length, round.round).toBeLessThanOrEqual(metaPromptCharLimit);
      // Bounded by construction: the last-resort clip never had to cut a prompt.
      expect(round.prompt, round.round).not.toContain('[prompt clipped]');
    }
    for (const request of server.requests) expect(promptText(request).length).toBeLessThanOrEqual(metaPromptCharLimit);
  });

  it('fake server: an unusable explore reply ends the session as failed, with the reason stored', async () => {
    server.setFallback(() => ({ text: 'no JSON here' }));
    const result = await runResearchSession({
      model,
      task: 'synthetic',
      diagnosis: diagnoseTrace(buildRandomSearchTrace(1, 20), { direction: 'minimize', params: [] }),
      library: formatLibrary([], []),
      reservedNames: [],
      repairAttempts: 1,
      seed: 1,
      gate: async () => {
        throw new Error('the gate must not run without a module');
      },
    });
    expect(result.outcome).toBe('failed');
    expect(result.rounds).toHaveLength(1);
    expect(result.rounds[0]?.error).toMatch(/no usable reply after 2 attempt/);
    expect(server.requests).toHaveLength(2);
  });
});
