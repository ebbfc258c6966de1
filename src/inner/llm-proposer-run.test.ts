import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ChatCompletionBody,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../../test/fakes/fake-openai-server.js';
import { syntheticContext, syntheticCurrent } from '../../test/fixtures/llm-proposer-fixtures.js';
import { isBilevelError } from '../core/errors.js';
import { createLlmRouter, type LlmRouterConfig } from '../llm/llm-router.js';
import type { LlmCallRecord } from '../llm/with-accounting.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ParamValue } from '../task/task-definition.js';
import { createLlmProposer } from './llm-proposer.js';

// A miniature of the inner loop (the real one lives in run-loop.ts): propose with one retry on a rejection,
// score a synthetic objective, keep if better. Enough to show record/replay and budget stops end to end.

const env = { OPENAI_COMPATIBLE_API_KEY: 'sk-test-0123456789abcdefghij' };
const prices = { 'openai-compatible:m': { input: 1, output: 1 } };

function objective(values: Record<string, ParamValue>): number {
  const rate = Number(values.LEARNING_RATE);
  return Number(((Math.log10(rate) + 2.5) ** 2 + 0.01 * Math.abs(Number(values.N_LAYER) - 6) + 1).toFixed(6));
}

interface MiniRun {
  history: TrialRecordView[];
  /** One line per trial: the proposal or the rejection. */
  sequence: string[];
  stoppedBy?: string;
}

async function miniRun(config: LlmRouterConfig, trials: number, resumeFrom?: MiniRun): Promise<MiniRun> {
  const proposer = createLlmProposer({ model: await createLlmRouter(config), mode: 'params' });
  const history = resumeFrom ? [...resumeFrom.history] : [baseline()];
  const sequence = resumeFrom ? [...resumeFrom.sequence] : [];
  for (let index = history.length; index <= trials; index++) {
    const kept = history.filter((trial) => trial.status === 'keep');
    const parent = kept.at(-1) ?? history[0]!;
    let feedback: string | undefined;
    let outcome: TrialRecordView | undefined;
    for (let attempt = 0; attempt < 2 && outcome === undefined; attempt++) {
      let result: Awaited<ReturnType<typeof proposer.propose>>;
      try {
        result = await proposer.propose(
          syntheticContext({
            current: parent.values,
            incumbentMetric: parent.metric,
            history,
            trialCount: history.length,
            trialIndex: index,
            attempt,
            seed: index * 7 + attempt,
            ...(feedback === undefined ? {} : { feedback }),
          }),
        );
      } catch (error) {
        if (isBilevelError(error) && error.code === 'LLM_BUDGET_EXHAUSTED')
          return { history, sequence, stoppedBy: error.code };
        throw error;
      }
      if (!result.ok) {
        feedback = result.reason;
        if (attempt === 1) outcome = rejected(index, parent, result.reason);
        sequence.push(`${index}.${attempt} rejected: ${result.reason}`);
        continue;
      }
      if (result.proposal.kind !== 'params') throw new Error('expected params');
      const values = { ...parent.values, ...result.proposal.values };
      const metric = objective(values);
      const changed = Object.fromEntries(
        Object.entries(result.proposal.values).map(([name, value]) => [name, [parent.values[name] ?? 0, value]]),
      ) as TrialRecordView['changed'];
      const better = parent.metric === null || metric < parent.metric;
      outcome = {
        index,
        status: better ? 'keep' : 'discard',
        metric,
        values,
        changed,
        summary: result.proposal.summary,
        reason: better ? '' : 'not better',
        parent: parent.index,
      };
      sequence.push(`${index}.${attempt} ${JSON.stringify(result.proposal.values)} → ${metric}`);
    }
    history.push(outcome!);
  }
  return { history, sequence };
}

function baseline(): TrialRecordView {
  const values = { ...syntheticCurrent };
  return {
    index: 0,
    status: 'keep',
    metric: objective(values),
    values,
    changed: {},
    summary: 'baseline',
    reason: '',
    parent: 0,
  };
}

function rejected(index: number, parent: TrialRecordView, reason: string): TrialRecordView {
  return {
    index,
    status: 'rejected',
    metric: null,
    values: parent.values,
    changed: {},
    summary: '',
    reason,
    parent: parent.index,
  };
}

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
  // Deterministic in the request's seed; every 4th seed names an unknown param (a rejection, then a retry).
  server.setFallback((request) => {
    const seed = (request.body as ChatCompletionBody).seed ?? 0;
    const values =
      seed % 4 === 1
        ? [{ name: 'MOMENTUM', value: 0.9 }]
        : [
            { name: 'LEARNING_RATE', value: Number((0.0004 * (1 + (seed % 13))).toPrecision(3)) },
            { name: 'N_LAYER', value: 1 + (seed % 12) },
          ];
    const text = JSON.stringify({ summary: `seed ${seed}`, rationale: 'scripted', values });
    return { text, usage: { inputTokens: 1000, outputTokens: 100 } };
  });
});
afterAll(async () => {
  await server.close();
});

describe('the LLM proposer over a miniature run', () => {
  test('a run recorded to a cassette (fake OpenAI-compatible server) replays offline to the identical sequence', async () => {
    const cassette = join(mkdtempSync(join(tmpdir(), 'run-cassette-')), 'run.jsonl');
    const recordedRequests = server.requests.length;
    const recorded = await miniRun(
      { default: 'openai-compatible:m', baseUrl: server.baseUrl, env, record: cassette },
      15,
    );
    const calls = server.requests.length - recordedRequests;
    expect(recorded.sequence.some((line) => line.includes('rejected: "MOMENTUM" is not a param'))).toBe(true);

    const records: LlmCallRecord[] = [];
    const replayed = await miniRun(
      { default: `replay:${cassette}`, env: {}, onCall: (record) => records.push(record) },
      15,
    );
    expect(replayed.sequence).toEqual(recorded.sequence);
    expect(replayed.history).toEqual(recorded.history);
    expect(records).toHaveLength(calls);
    expect(server.requests.length - recordedRequests).toBe(calls);
  });

  test('a cost cap reached mid-run stops it cleanly; resumed with a higher cap it ends as an uncapped run does', async () => {
    const base = { default: 'openai-compatible:m', baseUrl: server.baseUrl, env, prices };
    const uncapped = await miniRun(base, 12);

    const records: LlmCallRecord[] = [];
    const spent = { costUsd: 0, calls: 0 };
    // Each call: 1,000 + 100 tokens at $1 per million = $0.0011.
    const capped = await miniRun(
      { ...base, budget: { maxCostUsd: 0.006 }, spent, onCall: (record) => records.push(record) },
      12,
    );
    expect(capped.stoppedBy).toBe('LLM_BUDGET_EXHAUSTED');
    expect(records).toHaveLength(5);
    expect(spent.costUsd).toBeCloseTo(0.0055, 10);
    expect(spent.costUsd).toBeLessThanOrEqual(0.006);
    expect(capped.history.length).toBeLessThan(13);

    // Resume: the spend is summed from the stored records, the cap raised; the run goes on from its history.
    const restored = {
      costUsd: records.reduce((sum, record) => sum + record.costUsd, 0),
      calls: records.length,
    };
    const resumed = await miniRun({ ...base, budget: { maxCostUsd: 1 }, spent: restored }, 12, capped);
    expect(resumed.stoppedBy).toBeUndefined();
    expect(resumed.history).toHaveLength(13);
    // A trial cut by the cap is proposed again in full on resume, so the sequences may differ only there.
    expect(resumed.history).toEqual(uncapped.history);
  });
});
