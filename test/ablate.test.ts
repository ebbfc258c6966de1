// `bilevel ablate` end to end through the real binary: a small study killed midway and finished by re-running the
// command, report.json checked against each run's `status --json`; and an A vs C study through the LLM path
// against a local fake OpenAI-compatible server (127.0.0.1).

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { improvement } from '../src/core/metric-direction.js';
import { compareGroups } from '../src/stats/compare-groups.js';
import { type FakeOpenAiServer, type RecordedRequest, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

interface ReportRun {
  repeat: number;
  seed: number;
  runId: string;
  state: string;
  baseline: number | null;
  best: { trial: number; metric: number } | null;
  improvement: number | null;
  trials: number;
  llm: { calls: number; costUsd: number };
}

interface Report {
  complete: boolean;
  task: { metric: { direction: 'minimize' | 'maximize' } };
  groups: { name: string; levels: string[]; improvements: number[]; runs: ReportRun[]; llm: { calls: number } }[];
  comparisons: { a: string; b: string; welch: { p: number; t: number }; permutation: { p: number }; hedgesG: number }[];
}

interface Status {
  id: string;
  state: string;
  seed: number;
  levels: string[];
  baseline: number | null;
  best: { trial: number; metric: number } | null;
  trials: { index: number; status: string; metric: number | null }[];
}

async function status(stateDir: string, runId: string): Promise<Status> {
  const result = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

describe('bilevel ablate (real binary, synthetic task, random proposer)', () => {
  it('survives SIGKILL midway: re-running finishes the study, finished runs are reused, and report.json matches the database', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-ablate-'));
    const stateDir = join(root, 'state');
    const out = join(root, 'out');
    const args = [
      'ablate',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--groups',
      'A,B',
      '--repeats',
      '3',
      '--trials',
      '6',
      '--state-dir',
      stateDir,
      '--out',
      out,
    ];
    const first = startCli(args);
    const firstResult = collect(first);
    // Kill it once the third run (group A, repeat 1) is under way: two runs are finished by then.
    await waitForOutput(first, /\[3\/6\] group A repeat 1: trial 2\//, 120_000);
    first.kill('SIGKILL');
    const killed = await firstResult;
    expect(killed.signal).toBe('SIGKILL');
    const finishedBefore = [...killed.stdout.matchAll(/run (\S+) finished/g)].map((match) => match[1] as string);
    expect(finishedBefore).toHaveLength(2);
    const before = await Promise.all(finishedBefore.map((runId) => status(stateDir, runId)));

    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/continuing; 2 already finished/);
    for (const runId of finishedBefore) expect(second.stdout).toContain(`run ${runId} already finished, reused`);
    expect(second.stdout).toMatch(/\[3\/6\] group A repeat 1: run \S+ resumed after \d+ recorded trials/);
    for (const file of ['report.md', 'report.json', 'convergence.svg', 'convergence.png']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.complete).toBe(true);
    expect(report.groups.map((group) => [group.name, group.levels, group.runs.length])).toEqual([
      ['A', ['1'], 3],
      ['B', ['1', '1.5'], 3],
    ]);
    // Finished runs were not redone: same ids, same recorded trials.
    const reportRuns = report.groups.flatMap((group) => group.runs);
    for (const earlier of before) {
      expect(reportRuns.map((run) => run.runId)).toContain(earlier.id);
      expect((await status(stateDir, earlier.id)).trials).toEqual(earlier.trials);
    }
    // Every number in report.json agrees with the run as stored.
    for (const group of report.groups) {
      for (const run of group.runs) {
        const stored = await status(stateDir, run.runId);
        expect(stored.state).toBe('finished');
        expect(stored.seed).toBe(run.repeat);
        expect(stored.levels).toEqual(group.levels);
        expect(stored.trials.map((trial) => trial.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(run).toMatchObject({ state: 'finished', baseline: stored.baseline, best: stored.best, trials: 7 });
        expect(run.improvement).toBeCloseTo(
          improvement(stored.baseline as number, (stored.best as { metric: number }).metric, 'minimize'),
          12,
        );
      }
      expect(group.improvements).toEqual(group.runs.map((run) => run.improvement));
    }
    // Same seed, same task noise: repeat r's baseline is the same in both groups.
    const [groupA, groupB] = report.groups;
    expect(groupB?.runs.map((run) => run.baseline)).toEqual(groupA?.runs.map((run) => run.baseline));
    const reference = compareGroups(groupB?.improvements ?? [], groupA?.improvements ?? [], { seed: 0 });
    expect(report.comparisons).toHaveLength(1);
    expect(report.comparisons[0]).toMatchObject({ a: 'B', b: 'A' });
    expect(report.comparisons[0]?.permutation.p).toBe(reference.permutation.p);
    if (Number.isFinite(reference.welch.p)) expect(report.comparisons[0]?.welch.p).toBe(reference.welch.p);

    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toMatch(/\| group \| levels \| proposer \| mechanisms \| repeats \| improvement mean ± sd/);
    expect(markdown).toMatch(/\| B vs A \| 3 vs 3 \|/);
    expect(markdown).toContain('## How to read this');
    expect(readFileSync(join(out, 'convergence.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(out, 'convergence.svg'), 'utf8')).toContain('A (1) mean (3 repeats)');
  }, 400_000);
});

/** Moves a model might propose on the synthetic task, cycled. */
const moves = [
  { summary: 'halve the batch', rationale: 'more steps', values: [{ name: 'TOTAL_BATCH_SIZE', value: 262144 }] },
  { summary: 'deeper', rationale: 'more capacity', values: [{ name: 'DEPTH', value: 10 }] },
  { summary: 'lower matrix lr', rationale: 'stability', values: [{ name: 'MATRIX_LR', value: 0.03 }] },
];

describe('bilevel ablate through the LLM path (local fake OpenAI-compatible server)', () => {
  let server: FakeOpenAiServer;
  const schemas: string[] = [];
  let proposals = 0;
  const answer = (request: RecordedRequest) => {
    const body = request.body as { response_format?: { json_schema?: { name?: string } } };
    const name = body.response_format?.json_schema?.name ?? '';
    schemas.push(name);
    const usage = { inputTokens: 1000, outputTokens: 50 };
    if (name === 'params_proposal') return { text: JSON.stringify(moves[proposals++ % moves.length]), usage };
    if (name === 'search_settings') {
      return {
        text: JSON.stringify({ frozen: [], strategy: 'explore', guidance: 'try larger moves', rationale: 'flat' }),
        usage,
      };
    }
    // Level 2's research rounds get an unusable answer: the session fails as data and the run goes on.
    return { text: 'no idea', usage };
  };
  beforeAll(async () => {
    server = await startFakeOpenAiServer({ jsonSchema: 'supported' });
    server.setFallback(answer);
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs an A vs C study end to end with the model at every level', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-ablate-llm-'));
    const out = join(root, 'out');
    const result = await runCli(
      [
        'ablate',
        '--task',
        'synthetic',
        '--llm',
        'openai-compatible:fake',
        '--llm-base-url',
        `${server.url}/v1`,
        '--groups',
        'A,C',
        '--repeats',
        '2',
        '--trials',
        '11',
        '--state-dir',
        join(root, 'state'),
        '--out',
        out,
      ],
      { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test' } },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.complete).toBe(true);
    const [groupA, groupC] = report.groups;
    expect(groupC?.levels).toEqual(['1', '1.5', '2']);
    for (const run of [...(groupA?.runs ?? []), ...(groupC?.runs ?? [])])
      expect(run.llm.calls).toBeGreaterThanOrEqual(11);
    // C asks the model more: Level 1.5 analyses, and Level 2 research rounds.
    expect(groupC?.llm.calls).toBeGreaterThan(groupA?.llm.calls ?? 0);
    expect(schemas).toContain('params_proposal');
    expect(schemas).toContain('search_settings');
    expect(schemas.some((name) => name.startsWith('meta_'))).toBe(true);
    expect(report.comparisons[0]).toMatchObject({ a: 'C', b: 'A' });
  }, 400_000);

  it('--max-study-cost-usd caps the whole study (exit 3, within the cap); a higher cap and the same command finish it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bilevel-ablate-cost-'));
    const out = join(root, 'out');
    // 1,000 tokens in and 50 out per call at $1 / $2 per million: $0.0011 a call.
    const prices = join(root, 'prices.json');
    await writeFile(prices, JSON.stringify({ 'openai-compatible:fake': { input: 1, output: 2 } }));
    const study = (cap: string, baseUrl: string) =>
      runCli(
        [
          'ablate',
          '--task',
          'synthetic',
          '--llm',
          'openai-compatible:fake',
          '--llm-base-url',
          baseUrl,
          '--prices',
          prices,
          '--groups',
          'A',
          '--repeats',
          '2',
          '--trials',
          '6',
          '--max-study-cost-usd',
          cap,
          '--state-dir',
          join(root, 'state'),
          '--out',
          out,
        ],
        { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test' } },
      );
    const spend = (report: Report) =>
      report.groups.flatMap((group) => group.runs).reduce((sum, run) => sum + run.llm.costUsd, 0);

    // The cap runs out inside the first run: it stops there, and the second is never started.
    const capped = await study('0.005', `${server.url}/v1`);
    expect(capped.code, `${capped.stdout}\n${capped.stderr}`).toBe(3);
    expect(capped.stdout).toMatch(/the study's LLM cost cap is reached: \$0\.00\d+ of \$0\.0050 spent/);
    const partial = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(partial.complete).toBe(false);
    expect(partial.groups[0]?.runs.map((run) => run.state)).toEqual(['interrupted']);
    expect(spend(partial)).toBeLessThanOrEqual(0.005);
    expect(spend(partial)).toBeGreaterThan(0.005 - 2 * 0.0011);

    // The server moved (a new port) between the two invocations: the stopped run follows it.
    const moved = await startFakeOpenAiServer({ jsonSchema: 'supported' });
    moved.setFallback(answer);
    const oldServerCalls = server.requests.length;
    const finished = await study('1', `${moved.url}/v1`).finally(() => moved.close());
    expect(finished.code, `${finished.stdout}\n${finished.stderr}`).toBe(0);
    expect(moved.requests.length).toBeGreaterThan(0);
    expect(server.requests.length).toBe(oldServerCalls);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.complete).toBe(true);
    expect(report.groups[0]?.runs.map((run) => run.trials)).toEqual([7, 7]);
  }, 300_000);
});
