// The LLM path end to end through the real binary: a local fake OpenAI-compatible server (127.0.0.1) answers
// the proposer; the run is recorded to a cassette and replayed offline; a call cap stops it and resume goes on.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { runCli } from './helpers/cli.js';

/** Moves a model might propose on the synthetic task, cycled; two are deliberately bad. */
const moves: unknown[] = [
  {
    summary: 'halve the batch',
    rationale: 'more steps in the budget',
    values: [{ name: 'TOTAL_BATCH_SIZE', value: 262144 }],
  },
  { summary: 'deeper', rationale: 'more capacity', values: [{ name: 'DEPTH', value: 10 }] },
  { summary: 'unknown knob', rationale: 'a hallucinated param', values: [{ name: 'DROPOUT', value: 0.1 }] },
  { summary: 'quarter the batch', rationale: 'even more steps', values: [{ name: 'TOTAL_BATCH_SIZE', value: 131072 }] },
  'this is not JSON at all',
  { summary: 'lower matrix lr', rationale: 'stability', values: [{ name: 'MATRIX_LR', value: 0.03 }] },
];

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer({ jsonSchema: 'supported' });
  let calls = 0;
  server.setFallback(() => {
    const move = moves[calls++ % moves.length];
    return {
      text: typeof move === 'string' ? move : JSON.stringify(move),
      usage: { inputTokens: 1000, outputTokens: 50 },
    };
  });
});
afterAll(async () => {
  await server.close();
});

interface Status {
  state: string;
  trials: { index: number; status: string; metric: number | null; summary: string }[];
  llm: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
}

async function status(stateDir: string, runId: string): Promise<Status> {
  return JSON.parse((await runCli(['status', runId, '--json', '--state-dir', stateDir])).stdout) as Status;
}

const shape = (run: Status) => run.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.summary]);

describe('LLM proposer through the CLI (local fake OpenAI-compatible server, then cassette replay)', () => {
  it('runs 10 trials with proposals applied and usage recorded, and the cassette replays to the identical sequence', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-llm-'));
    const cassette = join(stateDir, 'cassette.jsonl');
    const common = ['--task', 'synthetic', '--levels', '1', '--trials', '10', '--seed', '5', '--json'];
    const live = await runCli(
      [
        'run',
        ...common,
        '--llm',
        'openai-compatible:fake',
        '--llm-base-url',
        `${server.url}/v1`,
        '--record',
        cassette,
        '--state-dir',
        stateDir,
      ],
      { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test-secret-value' } },
    );
    expect(live.code, live.stderr).toBe(0);
    const recorded = JSON.parse(live.stdout) as Status & { id: string };
    expect(recorded.trials).toHaveLength(11);
    expect(recorded.trials.filter((trial) => trial.status === 'keep').length).toBeGreaterThan(1);
    expect(recorded.trials.some((trial) => trial.summary === 'quarter the batch')).toBe(true);
    expect(recorded.llm.calls).toBeGreaterThanOrEqual(10);
    expect(recorded.llm.inputTokens).toBe(recorded.llm.calls * 1000);

    const replayDir = await mkdtemp(join(tmpdir(), 'bilevel-replay-'));
    const replay = await runCli(['run', ...common, '--llm', `replay:${cassette}`, '--state-dir', replayDir]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(shape(JSON.parse(replay.stdout) as Status)).toEqual(shape(recorded));
  }, 180_000);

  it('stops at --max-llm-calls (exit 3, resumable) and finishes after resume raises the cap', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-cap-'));
    const capped = await runCli([
      'run',
      '--task',
      'synthetic',
      '--levels',
      '1',
      '--trials',
      '8',
      '--llm',
      'openai-compatible:fake',
      '--llm-base-url',
      `${server.url}/v1`,
      '--max-llm-calls',
      '4',
      '--state-dir',
      stateDir,
    ]);
    expect(capped.code, capped.stderr).toBe(3);
    const runId = /run (\S+) interrupted/.exec(capped.stdout)?.[1] as string;
    const stopped = await status(stateDir, runId);
    expect(stopped.state).toBe('interrupted');
    expect(stopped.llm.calls).toBe(4);
    const resumed = await runCli(['resume', runId, '--max-llm-calls', '100', '--state-dir', stateDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const finished = await status(stateDir, runId);
    expect(finished.state).toBe('finished');
    expect(finished.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  }, 180_000);

  it('--max-cost-usd needs a price for the model: refused without one (exit 2), enforced with --prices', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-cost-'));
    const flags = ['--task', 'synthetic', '--levels', '1', '--trials', '8', '--llm', 'openai-compatible:fake'];
    const common = [...flags, '--llm-base-url', `${server.url}/v1`, '--max-cost-usd', '0.004', '--state-dir', stateDir];
    const unpriced = await runCli(['run', ...common]);
    expect(unpriced.code).toBe(2);
    expect(unpriced.stderr).toMatch(/no price is known for openai-compatible:fake[\s\S]*--prices FILE/);

    // 1,000 tokens in and 50 out per call at $1 / $2 per million: $0.0011 a call, so the cap allows three.
    const prices = join(stateDir, 'prices.json');
    await writeFile(prices, JSON.stringify({ 'openai-compatible:fake': { input: 1, output: 2 } }));
    const capped = await runCli(['run', ...common, '--prices', prices]);
    expect(capped.code, capped.stderr).toBe(3);
    expect(capped.stdout).toMatch(/LLM cost cap reached/);
    const runId = /run (\S+) interrupted/.exec(capped.stdout)?.[1] as string;
    const stopped = await status(stateDir, runId);
    expect(stopped.llm.calls).toBe(3);
    expect(stopped.llm.costUsd).toBeCloseTo(0.0033, 6);
  }, 120_000);

  it('an LLM outage past --llm-patience stops the run (exit 3, interrupted, retries shown); resume finishes it', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-outage-'));
    const flaky = await startFakeOpenAiServer({ jsonSchema: 'supported' });
    let calls = 0;
    let outageFrom = 3;
    flaky.setFallback(() => {
      if (calls >= outageFrom) return { status: 503, body: { error: { message: 'overloaded' } } };
      return { text: JSON.stringify(moves[calls++ % 2]) };
    });
    try {
      const common = ['--llm-base-url', `${flaky.url}/v1`, '--state-dir', stateDir];
      const stopped = await runCli([
        'run',
        '--task',
        'synthetic',
        '--levels',
        '1',
        '--trials',
        '6',
        '--llm',
        'openai-compatible:fake',
        '--llm-patience',
        '0',
        ...common,
      ]);
      expect(stopped.code, stopped.stderr).toBe(3);
      expect(stopped.stdout).toMatch(/LLM call failed \(.*503.*\); retry 1 in/);
      expect(stopped.stdout).toMatch(/the LLM stayed unreachable .*bilevel resume/);
      const runId = /run (\S+) interrupted/.exec(stopped.stdout)?.[1] as string;
      const before = await status(stateDir, runId);
      expect(before.state).toBe('interrupted');
      // Three good replies make one to three trials (a rejected proposal spends a retry); none after the outage.
      const done = before.trials.length;
      expect(done).toBeGreaterThanOrEqual(2);
      expect(done).toBeLessThanOrEqual(4);
      expect(before.trials.map((trial) => trial.index)).toEqual([...Array(done).keys()]);

      const badPatience = await runCli(['resume', runId, '--llm-patience', 'soon', '--state-dir', stateDir]);
      expect(badPatience.code).toBe(2);
      expect(badPatience.stderr).toMatch(/--llm-patience expects a number/);
      outageFrom = Number.POSITIVE_INFINITY;
      const resumed = await runCli(['resume', runId, '--llm-patience', '60', '--state-dir', stateDir]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const finished = await status(stateDir, runId);
      expect(finished.state).toBe('finished');
      expect(finished.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    } finally {
      await flaky.close();
    }
  }, 180_000);
});
