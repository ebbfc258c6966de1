import { describe, expect, it } from 'vitest';
import { buildMechanismContext } from './build-context.js';
import { createInProcessRuntime } from './in-process-runtime.js';
import { defineMechanism, type TrialRecordView } from './mechanism.js';
import { HookFailure } from './runtime.js';
import { syntheticTunables } from './synthetic-trace.js';

const trial: TrialRecordView = {
  ...{ index: 1, status: 'discard', metric: 2, values: { DEPTH: 5 }, changed: { DEPTH: [4, 5] } },
  ...{ summary: 'DEPTH 4 → 5', reason: 'not better', parent: 0 },
};
const context = buildMechanismContext(
  {
    task: { name: 'synthetic', metric: { name: 'loss', direction: 'minimize' }, mode: 'params' },
    tunables: syntheticTunables,
    settings: { frozen: [], strategy: 'balanced', guidance: '' },
    trials: [{ ...trial, index: 0, status: 'keep', changed: {}, parent: 0 }],
  },
  1,
  {},
  3,
);

const counter = defineMechanism<{ seen: number[]; seed: number; step: number }>({
  specificationVersion: 'mechanism-v1',
  name: 'counter',
  description: 'Counts trials, for runtime tests.',
  init: ({ seed, config }) => ({ seen: [], seed, step: Number(config.step ?? 1) }),
  onTrialEnd(_context, ended, state) {
    state.seen.push(ended.index * state.step);
    return ended.index === 99 ? undefined : state;
  },
  shouldStop: (_context, state) => ({ stop: state.seen.length >= 2, reason: `seen ${state.seen.join(',')}` }),
});

async function failureOf(promise: Promise<unknown>): Promise<HookFailure> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(HookFailure);
  return error as HookFailure;
}

describe('createInProcessRuntime', () => {
  it('holds the state: init with seed and config, onTrialEnd replaces it, decision hooks read it', async () => {
    const runtime = createInProcessRuntime(counter);
    expect([...runtime.hooks].sort()).toEqual(['onTrialEnd', 'shouldStop']);
    expect(runtime.origin).toBe('builtin');
    await runtime.init(11, { step: 10 });
    expect(runtime.snapshot()).toEqual({ seen: [], seed: 11, step: 10 });
    await runtime.call('onTrialEnd', [context, trial]);
    await runtime.call('onTrialEnd', [context, { ...trial, index: 99 }]);
    expect(runtime.snapshot()).toEqual({ seen: [10], seed: 11, step: 10 });
    expect(await runtime.call('shouldStop', [context])).toEqual({ stop: false, reason: 'seen 10' });
    await runtime.call('onTrialEnd', [context, { ...trial, index: 2 }]);
    expect(await runtime.call('shouldStop', [context])).toEqual({ stop: true, reason: 'seen 10,20' });
    await runtime.init(11, { step: 10 });
    expect(runtime.snapshot()).toEqual({ seen: [], seed: 11, step: 10 });
  });

  it('gives decision hooks a frozen copy: mutating the state or the context is a throw strike', async () => {
    const mutator = defineMechanism<{ count: number }>({
      ...{ specificationVersion: 'mechanism-v1', name: 'mutator', description: 'Tries to write its state.' },
      init: () => ({ count: 0 }),
      selectParent(_context, state) {
        (state as { count: number }).count += 1;
        return undefined;
      },
      shouldStop(hookContext) {
        (hookContext.history as TrialRecordView[]).length = 0;
        return undefined;
      },
    });
    const runtime = createInProcessRuntime(mutator);
    await runtime.init(1, {});
    const failure = await failureOf(runtime.call('selectParent', [context]));
    expect(failure.kind).toBe('throw');
    expect(failure.message).toMatch(/selectParent threw TypeError/);
    expect(runtime.snapshot()).toEqual({ count: 0 });
    expect((await failureOf(runtime.call('shouldStop', [context]))).kind).toBe('throw');
    expect(context.history).toHaveLength(1);
  });

  it('turns throws and non-plain results into HookFailures with the reason', async () => {
    const broken = defineMechanism({
      ...{ specificationVersion: 'mechanism-v1', name: 'broken', description: 'Fails in every way.' },
      selectParent() {
        throw new RangeError('no parents here');
      },
      shouldStop: () => ({ stop: true, reason: 'x', later: () => 1 }) as unknown as { stop: boolean; reason: string },
    });
    const runtime = createInProcessRuntime(broken, 'library');
    await runtime.init(1, {});
    const thrown = await failureOf(runtime.call('selectParent', [context]));
    expect(thrown.kind).toBe('throw');
    expect(thrown.message).toContain('RangeError: no parents here');
    const invalid = await failureOf(runtime.call('shouldStop', [context]));
    expect(invalid.kind).toBe('invalid-return');
    expect(invalid.message).toMatch(/not plain data/);
  });

  it('rejects a call with the wrong number of arguments as a caller bug, not a strike', async () => {
    const runtime = createInProcessRuntime(counter);
    await runtime.init(1, {});
    await expect(runtime.call('onTrialEnd', [context])).rejects.toThrow(/takes 2 arguments/);
  });
});
