// Proposers end to end through the real binary on the synthetic task: each Optuna sampler (Debian python3-optuna), a
// killed Optuna run resumed to the same proposals, a mix with the LLM behind a local fake server, and a mechanism
// that proposes (latin-hypercube) changing decisions.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixArmFor } from '../src/inner/mixed-proposer.js';
import { findOptunaPython } from '../src/optimizers/find-python.js';
import { optunaAvailability } from '../src/optimizers/optuna-availability.js';
import { parseProposerSpec } from '../src/records/proposer-spec.js';
import { type FakeOpenAiServer, promptText, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';
import { systemPackage } from './helpers/system-package.js';

interface Status {
  id: string;
  state: string;
  proposer: string;
  trials: { index: number; status: string; metric: number | null; summary: string; proposer: string | null }[];
  mechanisms: { name: string; decisionsChanged: number; hookCallsByHook: Record<string, number> }[];
}

async function status(stateDir: string, runId: string): Promise<Status> {
  const result = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

/** Every trial's proposal file, as the run wrote it. */
function proposals(stateDir: string, run: Status): unknown[] {
  return run.trials.slice(1).map((trial) => {
    const file = join(stateDir, 'runs', run.id, 'trials', String(trial.index).padStart(4, '0'), 'proposal.json');
    return JSON.parse(readFileSync(file, 'utf8'));
  });
}

const optuna = systemPackage('python3-optuna', () => findOptunaPython(undefined).chosen !== undefined);
const availability = optuna ? optunaAvailability().samplers : [];
const runnable = availability.filter((entry) => entry.problem === undefined).map((entry) => entry.sampler);
const missing = availability.filter((entry) => entry.problem !== undefined).map((entry) => entry.sampler);

describe.skipIf(!optuna)('Optuna samplers as proposers (real binary, synthetic task, Debian python3-optuna)', () => {
  it.each(runnable)(
    'optuna:%s runs end to end: every trial is its proposal, within the declared ranges',
    async (sampler) => {
      const stateDir = await mkdtemp(join(tmpdir(), `bilevel-optuna-${sampler}-`));
      const result = await runCli([
        'run',
        ...['--task', 'synthetic', '--proposer', `optuna:${sampler}`, '--trials', '4', '--seed', '1'],
        ...['--json', '--state-dir', stateDir],
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`optuna:${sampler}: Optuna \\S+ on \\S+python3`));
      const run = JSON.parse(result.stdout) as Status;
      expect(run.state).toBe('finished');
      expect(run.proposer).toBe(`optuna:${sampler}`);
      expect(run.trials.map((trial) => trial.proposer)).toEqual([null, ...Array(4).fill(`optuna:${sampler}`)]);
      const made = proposals(stateDir, run) as { values: Record<string, unknown> }[];
      expect(new Set(made.map((proposal) => JSON.stringify(proposal.values))).size).toBe(4);
      // Optuna proposes every param (none is frozen): each of the 14.
      for (const proposal of made) expect(Object.keys(proposal.values)).toHaveLength(14);
      expect(run.trials.filter((trial) => trial.status === 'rejected')).toEqual([]);
    },
    90_000,
  );

  it.skipIf(missing.length === 0).each(missing)(
    'optuna:%s, which this Optuna cannot run, is refused before a run is created (exit 2, what to install)',
    async (sampler) => {
      const stateDir = await mkdtemp(join(tmpdir(), `bilevel-optuna-${sampler}-`));
      const result = await runCli([
        'run',
        '--task',
        'synthetic',
        '--proposer',
        `optuna:${sampler}`,
        '--state-dir',
        stateDir,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('[OPTIMIZER_UNAVAILABLE]');
      expect(result.stderr).toMatch(/pip install/);
      const runs = JSON.parse((await runCli(['status', '--json', '--state-dir', stateDir])).stdout) as {
        runs: unknown[];
      };
      expect(runs.runs).toEqual([]);
    },
    60_000,
  );

  it.each(['tpe'] as const)(
    'optuna:%s killed mid-run and resumed makes the same proposals as an uninterrupted run with the same seed',
    async (sampler) => {
      const args = ['--task', 'synthetic', '--proposer', `optuna:${sampler}`, '--trials', '8', '--seed', '2'];
      const reference = await mkdtemp(join(tmpdir(), 'bilevel-optuna-ref-'));
      const straight = await runCli(['run', ...args, '--json', '--state-dir', reference]);
      expect(straight.code, straight.stderr).toBe(0);
      const expected = JSON.parse(straight.stdout) as Status;

      const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-optuna-kill-'));
      const child = startCli(['run', ...args, '--state-dir', stateDir]);
      const done = collect(child);
      const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
      // Killed once four trials are recorded: the in-flight trial and the rest come from the rebuilt study.
      await waitForOutput(child, /trial 4\/8 /, 90_000);
      child.kill('SIGKILL');
      await done;
      const resumed = await runCli(['resume', runId, '--state-dir', stateDir]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).not.toMatch(/did not make/);
      const after = await status(stateDir, runId);
      expect(after.state).toBe('finished');
      const shape = (run: Status) =>
        run.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.proposer]);
      expect(shape(after)).toEqual(shape(expected));
      expect(proposals(stateDir, after)).toEqual(proposals(reference, expected));
    },
    240_000,
  );
});

describe.skipIf(!optuna)('a mixed proposer: the LLM behind a local fake server (127.0.0.1) and Optuna TPE', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer({ jsonSchema: 'supported' });
    let calls = 0;
    server.setFallback(() => {
      calls += 1;
      const move = {
        summary: `fake move ${calls}`,
        rationale: 'scripted',
        values: [{ name: 'MATRIX_LR', value: 0.004 + calls / 1000 }],
      };
      return { text: JSON.stringify(move), usage: { inputTokens: 100, outputTokens: 20 } };
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives the LLM the trials the seed picks for it, tells TPE about them, and shows the LLM who made each trial', async () => {
    const spec = 'mix:llm=0.3,optuna:tpe=0.7';
    const seed = 3;
    const trials = 10;
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-mix-'));
    const result = await runCli(
      [
        'run',
        ...[
          '--task',
          'synthetic',
          '--levels',
          '1',
          '--proposer',
          spec,
          '--trials',
          String(trials),
          '--seed',
          String(seed),
        ],
        ...['--llm', 'openai-compatible:fake', '--llm-base-url', `${server.url}/v1`, '--json', '--state-dir', stateDir],
      ],
      { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as Status;
    const plan = parseProposerSpec(spec);
    const expected = Array.from({ length: trials }, (_, index) => mixArmFor(plan, seed, index + 1));
    expect(run.trials.map((trial) => trial.proposer)).toEqual([null, ...expected]);
    const llmTrials = expected.filter((arm) => arm === 'llm').length;
    expect(llmTrials).toBeGreaterThan(0);
    expect(llmTrials).toBeLessThan(trials);
    // One LLM call per LLM trial (every scripted move is valid), none for the others.
    const calls = server.requests.filter((request) => request.path.endsWith('/chat/completions'));
    expect(calls).toHaveLength(llmTrials);
    // The last LLM prompt names the proposer of each trial it shows.
    const lastLlmTrial = expected.lastIndexOf('llm') + 1;
    const prompt = promptText(calls.at(-1) as (typeof calls)[number]);
    expect(prompt).toContain('| trial | parent | by | status |');
    expect(prompt).toMatch(/\| \d+ \| \d+ \| optuna:tpe \|/);
    expect(prompt).toContain(`Propose trial ${lastLlmTrial}`);
    // The study was told the LLM's trials: the Optuna arm of a resumed copy of this record rebuilds without a mismatch.
  }, 120_000);
});

describe('a mechanism that proposes (latin-hypercube, no Optuna needed)', () => {
  it('makes the first trials itself and each counts as a changed decision; the proposer makes the rest', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-lhs-'));
    const result = await runCli([
      'run',
      ...['--task', 'synthetic', '--proposer', 'random', '--trials', '6', '--seed', '4'],
      ...['--mechanisms', 'latin-hypercube', '--mechanism-param', 'latin-hypercube.points=4'],
      ...['--json', '--state-dir', stateDir],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as Status;
    const lhs = run.mechanisms.find((mechanism) => mechanism.name === 'latin-hypercube');
    const made = run.trials.filter((trial) => trial.proposer === 'mechanism:latin-hypercube');
    expect(made.map((trial) => trial.summary)).toEqual(
      [1, 2, 3, 4].map((point) => `latin hypercube point ${point}/4 over 14 unexplored params`),
    );
    expect(lhs?.decisionsChanged).toBe(4);
    expect(lhs?.hookCallsByHook.propose).toBe(6);
    expect(run.trials.slice(5).map((trial) => trial.proposer)).toEqual(['random', 'random']);
  }, 90_000);
});
