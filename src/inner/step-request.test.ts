// The requests a trial's steps run with: only the evaluator and the program it queries get the channel; what each
// step's jail hides and lets it write; credentials withheld from every step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runConfigSchema } from '../records/run-config.js';
import { loadTask } from '../task/load-task.js';
import { runPaths } from './run-paths.js';
import { type StepSession, stepRequest } from './step-request.js';

/** A real folder: the jail masks only folders that exist. */
const stateDir = mkdtempSync(join(tmpdir(), 'bilevel-step-request-'));
const paths = runPaths(stateDir, 'r1');
const place = {
  trialIndex: 1,
  execution: 0,
  work: paths.work,
  slotEnv: {},
  output: join(paths.trial(1), 'output'),
  tmp: '/tmp/bilevel-step-tmp',
};

async function sessionFor(task: string, mode: 'jail' | 'none'): Promise<StepSession> {
  const loaded = await loadTask(task);
  const config = runConfigSchema.parse({
    task,
    taskDir: loaded.dir,
    levels: ['1'],
    proposer: 'random',
    trials: 1,
    budgetSeconds: 3,
    timeoutSeconds: 30,
    mode: 'params',
    seed: 0,
  });
  return {
    config,
    task: loaded,
    paths,
    isolation: mode === 'jail' ? { mode } : { mode, reason: 'off in this test' },
  };
}

describe('step requests built from the task and the run settings', () => {
  const saved = process.env.OPENAI_API_KEY;
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
  afterEach(() => {
    if (saved === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved;
  });

  it('gives the channel (fds 3 and 4) to the evaluator and the served model alone', async () => {
    const tinygpt = await sessionFor('tinygpt', 'none');
    expect(stepRequest(tinygpt, 'evaluate', place).env.BILEVEL_CHANNEL_FDS).toBe('3,4');
    expect(stepRequest(tinygpt, 'serve', place).env.BILEVEL_CHANNEL_FDS).toBe('3,4');
    expect(stepRequest(tinygpt, 'train', place).env.BILEVEL_CHANNEL_FDS).toBeUndefined();
    const synthetic = await sessionFor('synthetic', 'none');
    expect(stepRequest(synthetic, 'evaluate', place).env.BILEVEL_CHANNEL_FDS).toBeUndefined();
    expect(stepRequest(synthetic, 'train', place).env.BILEVEL_OUTPUT_DIR).toBe(place.output);
  });

  it("runs a slot's steps in the slot's working copy, with the slot's variables, hidden files hidden there", async () => {
    const session = await sessionFor('synthetic', 'jail');
    const slot = { ...place, work: join(paths.root, 'slots', '2'), slotEnv: { CUDA_VISIBLE_DEVICES: '5' } };
    const train = stepRequest(session, 'train', slot);
    expect(train.cwd).toBe(slot.work);
    expect(train.env.CUDA_VISIBLE_DEVICES).toBe('5');
    expect(train.jail?.writable).toContain(slot.work);
    expect(train.jail?.writable).not.toContain(paths.work);
    expect(train.jail?.readOnly).toEqual([join(slot.work, '.git')]);
    for (const file of session.task.hiddenFiles) expect(train.jail?.hidden).toContain(join(slot.work, file));
    expect(session.task.hiddenFiles.length).toBeGreaterThan(0);
  });

  it('hides the validation split from training and the served model, not from the evaluator, which writes nothing', async () => {
    const session = await sessionFor('tinygpt', 'jail');
    const validation = resolve(paths.data, 'tinygpt', 'brown-v1', 'val.bin');
    const train = stepRequest(session, 'train', place).jail!;
    const serve = stepRequest(session, 'serve', place).jail!;
    const evaluate = stepRequest(session, 'evaluate', place).jail!;
    expect(train.hidden).toContain(validation);
    expect(serve.hidden).toContain(validation);
    expect(evaluate.hidden).not.toContain(validation);
    expect(train.writable).toEqual(expect.arrayContaining([paths.work, place.output]));
    expect(serve.writable).toEqual([]);
    expect(evaluate.writable).toEqual([]);
    expect(evaluate.readable).toEqual(expect.arrayContaining([paths.work, place.output]));
    expect(train.masked).toContain(resolve(stateDir));
    expect(stepRequest(await sessionFor('tinygpt', 'none'), 'train', place).jail).toBeUndefined();
  });

  it('withholds a credential in the environment from every step', async () => {
    process.env.OPENAI_API_KEY = 'sk-test-not-a-real-key';
    const session = await sessionFor('synthetic', 'jail');
    for (const step of ['train', 'evaluate'] as const) {
      const { env } = stepRequest(session, step, place);
      expect(env.OPENAI_API_KEY).toBeUndefined();
      expect(Object.values(env)).not.toContain('sk-test-not-a-real-key');
    }
  });
});
