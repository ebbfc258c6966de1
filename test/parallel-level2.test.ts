// A mechanism the meta level writes sees the trials in flight: a run with three workers and a local fake
// OpenAI-compatible server (127.0.0.1) whose Level 2 session writes a screen that refuses a repeat of a running trial.
// The gate's replay finds the repeats in the recorded trace; after activation the mechanism rejects proposals
// because of `pending`, and its counters show it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { listMechanismEvents } from '../src/storage/mechanism-tables.js';
import { type ChatCompletionBody, type FakeOpenAiServer, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { runCli } from './helpers/cli.js';

const noDouble = `import { defineMechanism } from 'bilevel/mechanism';
export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'no-double',
  description: 'Refuses a proposal that would run the same values as a trial running now.',
  screenProposal: (context, proposal) => {
    const same = context.pending.find((trial) =>
      Object.keys(trial.values).every((name) => trial.values[name] === proposal.values[name]),
    );
    return same === undefined ? undefined : { accept: false, reason: \`trial \${same.index} is running these values now\` };
  },
});
`;

/** Two moves from the baseline, alternating with the trial index: with three in flight, trial k repeats trial k − 2. */
const moves = [
  { name: 'MATRIX_LR', value: 0.31 },
  { name: 'EMBEDDING_LR', value: 4.1 },
];

function reply(body: ChatCompletionBody): unknown {
  const schema = body.response_format?.json_schema?.name ?? '';
  const text = body.messages.map((message) => JSON.stringify(message.content)).join('\n');
  switch (schema) {
    case 'params_proposal': {
      const trial = Number(/Propose trial (\d+)/.exec(text)?.[1] ?? 0);
      const move = moves[trial % 2];
      return { summary: `set ${move?.name}`, rationale: 'scripted', values: [move] };
    }
    case 'meta_explore':
      return {
        observations: 'proposals repeat trials that are still running',
        candidates: [{ name: 'no-double', field: 'tabu search', targets: 'repetition', idea: 'refuse repeats' }],
      };
    case 'meta_critique':
      return { scores: [{ name: 'no-double', score: 9, reason: 'fits' }], selected: 'no-double', rationale: 'x' };
    case 'meta_specify':
      return {
        name: 'no-double',
        description: 'refuses repeats of running trials',
        hooks: ['screenProposal'],
        params: 'none',
        state: 'none',
        behaviour: 'reject when a pending trial has the same values',
      };
    case 'meta_generate':
      return { module: noDouble, notes: '' };
    case 'meta_repair':
      return { module: noDouble, changes: 'none' };
    default:
      throw new Error(`unexpected schema ${schema}`);
  }
}

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer({ jsonSchema: 'supported' });
  server.setFallback((request) => ({
    text: JSON.stringify(reply(request.body as ChatCompletionBody)),
    usage: { inputTokens: 100, outputTokens: 50 },
  }));
});
afterAll(async () => {
  await server.close();
});

describe('a generated mechanism and the trials in flight (local fake LLM server)', () => {
  it('sees `pending`, and rejects a repeat of a running trial because of it', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-pending-level2-'));
    const result = await runCli(
      [
        'run',
        ...['--task', 'synthetic', '--levels', '1,2', '--trials', '16', '--seed', '1', '--workers', '3'],
        ...['--outer-every', '3', '--meta-every', '1', '--meta-plateau', '100', '--probation-window', '30'],
        ...['--llm', 'openai-compatible:fake', '--llm-base-url', `${server.url}/v1`, '--json', '--state-dir', stateDir],
      ],
      { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as {
      id: string;
      metaSessions: { id: string; outcome: string; mechanism: string | null }[];
      mechanisms: { name: string; origin: string; decisionsChanged: number }[];
    };
    expect(run.metaSessions[0]).toMatchObject({ id: 'm3', outcome: 'activated', mechanism: 'no-double' });
    const mechanism = run.mechanisms.find((entry) => entry.name === 'no-double');
    expect(mechanism).toMatchObject({ origin: 'generated' });
    expect(mechanism?.decisionsChanged).toBeGreaterThan(0);
    const database = openDatabase(stateDir);
    try {
      const rejections = listMechanismEvents(database, run.id).filter(
        (event) => event.mechanism === 'no-double' && event.kind === 'decision-changed',
      );
      expect(rejections.length).toBeGreaterThan(0);
      expect(JSON.stringify(rejections[0]?.after)).toMatch(/trial \d+ is running these values now/);
    } finally {
      database.close();
    }
  }, 120_000);
});
