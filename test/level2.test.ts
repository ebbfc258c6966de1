// Level 2 end to end through the real binary: a full --levels 1,1.5,2 run against a local fake OpenAI-compatible
// server (127.0.0.1) scripted per meta session; and an offline --levels 1,2 run killed with SIGKILL and resumed.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLibraryEvidence } from '../src/library/library-evidence.js';
import { metaPromptCharLimit } from '../src/meta/meta-prompt-context.js';
import { openDatabase } from '../src/storage/database.js';
import { listMetaSessions } from '../src/storage/meta-tables.js';
import { type ChatCompletionBody, type FakeOpenAiServer, startFakeOpenAiServer } from './fakes/fake-openai-server.js';
import { collect, runCli, startCli, waitForOutput } from './helpers/cli.js';

const header = `import { defineMechanism } from 'bilevel/mechanism';\n`;

/** Session 1: acts on every trial (adds a guidance line), so it changes decisions. */
const goodModule = `${header}export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'stride-guidance',
  description: 'Breaks repetition by asking for a move the last five trials did not try.',
  transformPrompt: (context, prompt) => {
    const recent = context.history.slice(-5).flatMap((trial) => Object.keys(trial.changed));
    const fresh = context.tunables.map((tunable) => tunable.name).filter((name) => !recent.includes(name));
    return { ...prompt, guidance: [...prompt.guidance, \`Try one of: \${fresh.slice(0, 3).join(', ') || 'any param'}\`] };
  },
});
`;
/** Session 2: the first module has a type error; the repair fixes it. */
const typoModule = `${header}export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'small-steps',
  description: 'Asks for small moves once the run has a few keeps.',
  transformPrompt: (context, prompt) => {
    const keeps: number = context.kept.length.toFixed(0);
    return { ...prompt, guidance: [...prompt.guidance, \`Move one param at a time (\${keeps} keeps so far).\`] };
  },
});
`;
const fixedModule = typoModule.replace('context.kept.length.toFixed(0)', 'context.kept.length');
/** Session 3: reaches for the global object; refused by the static scan every time. */
const hostileModule = `${header}export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'escape-hatch',
  description: 'Tries to leave the sandbox.',
  shouldStop: () => ({ stop: Boolean((globalThis as Record<string, unknown>).process), reason: 'escape' }),
});
`;
/** Session 4: declines everything: inert on the recorded trace. */
const inertModule = `${header}export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'quiet-observer',
  description: 'Watches and never decides.',
  selectParent: () => undefined,
});
`;

const sessionPlans = [
  { name: 'stride-guidance', module: goodModule, repair: goodModule },
  { name: 'small-steps', module: typoModule, repair: fixedModule },
  { name: 'escape-hatch', module: hostileModule, repair: hostileModule },
  { name: 'quiet-observer', module: inertModule, repair: inertModule },
  { name: 'none', module: inertModule, repair: inertModule },
];

const moves: { name: string; value: number }[] = [
  { name: 'MATRIX_LR', value: 0.05 },
  { name: 'TOTAL_BATCH_SIZE', value: 262144 },
  { name: 'DEPTH', value: 10 },
  { name: 'WARMDOWN_RATIO', value: 0.4 },
  { name: 'MATRIX_LR', value: 0.03 },
  { name: 'TOTAL_BATCH_SIZE', value: 131072 },
  { name: 'EMBEDDING_LR', value: 0.8 },
  { name: 'DEPTH', value: 6 },
];

let server: FakeOpenAiServer;
/** Meta session (0-based) whose generate reply is held back, so a test can kill the run mid-session. */
let slowSession: number | undefined;
const metaPrompts: number[] = [];

/** Every reply is a function of the request alone, so a re-run after a kill gets the same answers. */
function reply(body: ChatCompletionBody): { value: unknown; delayMs?: number } {
  const schema = body.response_format?.json_schema?.name ?? '';
  const text = body.messages.map((message) => JSON.stringify(message.content)).join('\n');
  if (schema.startsWith('meta_')) metaPrompts.push(text.length);
  // The diagnosis in explore/critique/specify prompts says how many trials were read: session n runs after 10(n+1).
  const trials = Number(/\\"trials\\": (\d+)/.exec(text)?.[1] ?? Number.NaN);
  const bySession = sessionPlans[Math.min((trials - 1) / 10 - 1, sessionPlans.length - 1)];
  // Generate and repair prompts carry the specification, which names the mechanism.
  const byName = sessionPlans.find((plan) => text.includes(`\\"name\\": \\"${plan.name}\\"`));
  switch (schema) {
    case 'params_proposal': {
      const move = moves[hash(text) % moves.length] as { name: string; value: number };
      return { value: { summary: `set ${move.name}`, rationale: 'scripted', values: [move] } };
    }
    case 'search_settings':
      return { value: { frozen: [], strategy: 'balanced', guidance: '', rationale: 'scripted' } };
    case 'meta_explore': {
      const last = bySession === sessionPlans[4];
      return {
        value: {
          observations: 'the search repeats moves',
          candidates: [
            {
              name: last ? 'late' : (bySession?.name ?? 'late'),
              field: 'tabu search',
              targets: 'repetition',
              idea: 'x',
            },
            { name: 'spare', field: 'bandits', targets: 'uneven-payoffs', idea: 'y' },
          ],
        },
      };
    }
    case 'meta_critique':
      return {
        value: {
          scores: [{ name: bySession?.name, score: 8, reason: 'fits' }],
          selected: bySession?.name,
          rationale: 'scripted',
        },
      };
    case 'meta_specify':
      return {
        value: {
          name: bySession?.name,
          description: 'scripted',
          hooks: ['transformPrompt'],
          params: 'none',
          state: 'none',
          behaviour: 'scripted',
        },
      };
    case 'meta_generate': {
      const slow = slowSession !== undefined && byName === sessionPlans[slowSession];
      return { value: { module: byName?.module, notes: '' }, ...(slow ? { delayMs: 5000 } : {}) };
    }
    case 'meta_repair':
      return { value: { module: byName?.repair, changes: 'scripted' } };
    default:
      throw new Error(`unexpected schema ${schema}`);
  }
}

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index++) value = (value * 31 + text.charCodeAt(index)) >>> 0;
  return value;
}

beforeAll(async () => {
  server = await startFakeOpenAiServer({ jsonSchema: 'supported' });
  server.setFallback((request) => {
    const { value, delayMs } = reply(request.body as ChatCompletionBody);
    return {
      text: JSON.stringify(value),
      usage: { inputTokens: 500, outputTokens: 100 },
      ...(delayMs === undefined ? {} : { delayMs }),
    };
  });
});
afterAll(async () => {
  await server.close();
});

interface MechanismJson {
  name: string;
  origin: string;
  status: string;
  decisionsChanged: number;
  hookCalls: number;
  activatedAt: number;
  retiredAt: number | null;
}
interface StatusJson {
  id: string;
  state: string;
  trials: { index: number; status: string; metric: number | null; summary: string }[];
  mechanisms: MechanismJson[];
  metaSessions: { id: string; outcome: string; mechanism: string | null }[];
}

async function status(stateDir: string, runId: string): Promise<StatusJson> {
  const result = await runCli(['status', runId, '--json', '--state-dir', stateDir]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

const llmArgs = (stateDir: string) => [
  '--task',
  'synthetic',
  '--levels',
  '1,1.5,2',
  '--trials',
  '52',
  '--seed',
  '3',
  '--llm',
  'openai-compatible:fake',
  '--llm-base-url',
  `${server.url}/v1`,
  '--state-dir',
  stateDir,
];
const llmEnv = { env: { OPENAI_COMPATIBLE_API_KEY: 'sk-test' } };
let reference: StatusJson | undefined;

describe('Level 2 through the CLI with a local fake OpenAI-compatible server', () => {
  it('activates a good mechanism, repairs a type error, refuses a hostile one, flags an inert one, and accepts "none"', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-level2-'));
    const cassette = join(stateDir, 'level2.cassette.jsonl');
    const result = await runCli(['run', ...llmArgs(stateDir), '--record', cassette, '--json'], llmEnv);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('meta level: llm');
    const run = JSON.parse(result.stdout) as StatusJson;
    reference = run;
    expect(run.trials).toHaveLength(53);
    expect(run.metaSessions.map((entry) => [entry.id, entry.outcome, entry.mechanism])).toEqual([
      ['m10', 'activated', 'stride-guidance'],
      ['m20', 'activated', 'small-steps'],
      ['m30', 'refused', 'escape-hatch'],
      ['m40', 'inert', 'quiet-observer'],
      ['m50', 'no-selection', null],
    ]);
    const good = run.mechanisms.find((entry) => entry.name === 'stride-guidance');
    expect(good).toMatchObject({ origin: 'generated', activatedAt: 10 });
    expect(good?.decisionsChanged).toBeGreaterThan(0);
    expect(run.mechanisms.find((entry) => entry.name === 'small-steps')).toMatchObject({ activatedAt: 20 });
    expect(run.mechanisms.map((entry) => entry.name)).not.toContain('escape-hatch');
    expect(run.mechanisms.map((entry) => entry.name)).not.toContain('quiet-observer');

    const database = openDatabase(stateDir);
    try {
      const sessions = listMetaSessions(database, run.id);
      const typo = sessions[1];
      expect(typo?.attempts.map((attempt) => (attempt.gate as { ok: boolean }).ok)).toEqual([false, true]);
      expect(typo?.rounds.map((round) => round.round)).toEqual([
        'explore',
        'critique',
        'specify',
        'generate',
        'repair-1',
      ]);
      const hostile = sessions[2];
      expect((hostile?.attempts[0]?.gate as { stageReached?: string } | undefined)?.stageReached).toBe('static-scan');
      expect(hostile?.attempts).toHaveLength(3);
      expect(JSON.stringify(sessions[3]?.attempts.at(-1)?.gate ?? null)).toContain('inert');
      expect(sessions[4]?.rounds.map((round) => round.round)).toEqual(['explore', 'critique']);
      for (const entry of sessions) {
        for (const round of entry.rounds) expect(round.prompt.length).toBeLessThanOrEqual(metaPromptCharLimit);
      }
      // `bilevel report` writes each session's transcript whole: every prompt, both module sources, the gate reports.
      const out = join(stateDir, 'report');
      const report = await runCli(['report', run.id, '--state-dir', stateDir, '--out', out]);
      expect(report.code, report.stderr).toBe(0);
      const transcript = readFileSync(join(out, 'sessions', 'm20.md'), 'utf8');
      for (const round of typo?.rounds ?? []) expect(transcript).toContain(round.prompt);
      for (const attempt of typo?.attempts ?? []) expect(transcript).toContain(attempt.source);
      expect(transcript).toContain('## Gate attempt 2');
    } finally {
      database.close();
    }
    // Probation after 10 trials measured it, and the measurement is stored with the library entry.
    const evidence = readLibraryEvidence(stateDir, 'stride-guidance');
    expect(evidence.map((item) => [item.runId, item.sessionId, item.activatedAtTrial])).toEqual([[run.id, 'm10', 10]]);
    expect(evidence[0]?.probation.window).toMatchObject({ from: 11, to: 20, trials: 10 });
    expect(good).toHaveProperty('probation.verdict', evidence[0]?.probation.verdict);
    const library = await runCli(['mechanisms', 'list', '--json', '--state-dir', stateDir]);
    expect(library.stdout).toContain('stride-guidance');
    expect(library.stdout).not.toContain('escape-hatch');
    expect(Math.max(...metaPrompts)).toBeLessThanOrEqual(metaPromptCharLimit + 200);

    // The cassette replays the whole run offline, meta sessions included, to the same record.
    const replayArgs = llmArgs(await mkdtemp(join(tmpdir(), 'bilevel-level2-replay-'))).map((arg) =>
      arg === 'openai-compatible:fake' ? `replay:${cassette}` : arg,
    );
    const replayed = await runCli(['run', ...replayArgs, '--json']);
    expect(replayed.code, replayed.stderr).toBe(0);
    const again = JSON.parse(replayed.stdout) as StatusJson;
    const shape = (status: StatusJson) =>
      status.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.summary]);
    expect(shape(again)).toEqual(shape(run));
    expect(again.metaSessions).toEqual(run.metaSessions);
    expect(again.mechanisms).toEqual(run.mechanisms);

    // A later run uses the generated mechanism from the library by name, without any LLM.
    const later = await runCli([
      'run',
      '--task',
      'synthetic',
      '--proposer',
      'random',
      '--trials',
      '3',
      '--mechanisms',
      'stride-guidance',
      '--state-dir',
      stateDir,
      '--json',
    ]);
    expect(later.code, later.stderr).toBe(0);
    const reused = (JSON.parse(later.stdout) as StatusJson).mechanisms;
    expect(reused).toEqual([
      expect.objectContaining({ name: 'stride-guidance', origin: 'generated', status: 'active' }),
    ]);
    expect(reused[0]?.decisionsChanged).toBe(3);
  }, 400_000);

  it('a run killed in the middle of a meta session re-runs that session on resume and ends with the same record', async () => {
    expect(reference, 'needs the uninterrupted run above').toBeDefined();
    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-level2-kill-'));
    slowSession = 1;
    try {
      const child = startCli(['run', ...llmArgs(stateDir)], llmEnv);
      const done = collect(child);
      const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
      await waitForOutput(child, /level 2 session m20 \(llm, cadence\): researching/, 200_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGKILL');
      await done;
      const killed = await status(stateDir, runId);
      expect(killed.metaSessions.map((entry) => entry.id)).toEqual(['m10']);
      slowSession = undefined;
      const resumed = await runCli(['resume', runId, '--state-dir', stateDir], llmEnv);
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = await status(stateDir, runId);
      const shape = (run: StatusJson) =>
        run.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.summary]);
      expect(shape(after)).toEqual(shape(reference as StatusJson));
      expect(after.mechanisms).toEqual((reference as StatusJson).mechanisms);
      expect(after.metaSessions).toEqual((reference as StatusJson).metaSessions);
    } finally {
      slowSession = undefined;
    }
  }, 400_000);
});

describe('Level 2 offline (--proposer random), killed and resumed', () => {
  it('prints the offline mode, and after SIGKILL resumes with the same mechanisms and decisions', async () => {
    const args = ['--task', 'synthetic', '--proposer', 'random', '--levels', '1,2', '--trials', '34', '--seed', '11'];
    const reference = await mkdtemp(join(tmpdir(), 'bilevel-l2-ref-'));
    const straight = await runCli(['run', ...args, '--json', '--state-dir', reference]);
    expect(straight.code, straight.stderr).toBe(0);
    expect(straight.stderr).toContain('meta level: offline (no LLM): picks from built-ins and the library');
    const expected = JSON.parse(straight.stdout) as StatusJson;
    expect(expected.metaSessions.filter((entry) => entry.outcome === 'activated').length).toBeGreaterThan(1);

    const stateDir = await mkdtemp(join(tmpdir(), 'bilevel-l2-kill-'));
    const child = startCli(['run', ...args, '--state-dir', stateDir]);
    const done = collect(child);
    const runId = (await waitForOutput(child, /run (\S+) on synthetic/))[1] as string;
    await waitForOutput(child, /level 2 session m20/, 120_000);
    child.kill('SIGKILL');
    await done;
    const resumed = await runCli(['resume', runId, '--state-dir', stateDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = await status(stateDir, runId);
    const shape = (run: StatusJson) =>
      run.trials.map((trial) => [trial.index, trial.status, trial.metric, trial.summary]);
    expect(shape(after)).toEqual(shape(expected));
    expect(after.mechanisms).toEqual(expected.mechanisms);
    expect(after.metaSessions.map((entry) => [entry.id, entry.outcome, entry.mechanism])).toEqual(
      expected.metaSessions.map((entry) => [entry.id, entry.outcome, entry.mechanism]),
    );
  }, 400_000);
});
