import { describe, expect, it } from 'vitest';
import { buildMechanismContext } from './build-context.js';
import type { OutcomeView, TrialRecordView } from './mechanism.js';
import { HookFailure } from './runtime.js';
import { syntheticTunables } from './synthetic-trace.js';
import { validateHookResult } from './validate-hook-result.js';

const kept = (index: number): TrialRecordView => ({
  ...{ index, status: 'keep', metric: 2 - index / 10, values: {}, changed: {} },
  ...{ summary: '', reason: '', parent: 0 },
});
const context = buildMechanismContext(
  {
    task: { name: 'synthetic', metric: { name: 'loss', direction: 'minimize' }, mode: 'params' },
    tunables: syntheticTunables,
    settings: { frozen: [], strategy: 'balanced', guidance: '' },
    trials: [kept(0), { ...kept(1), status: 'discard' }, kept(2)],
  },
  3,
  {},
  1,
);

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HookFailure);
    expect((error as HookFailure).kind).toBe('invalid-return');
    return (error as HookFailure).message;
  }
  throw new Error('expected an invalid-return HookFailure');
}

describe('validateHookResult', () => {
  it('accepts declines and valid answers', () => {
    expect(validateHookResult('selectParent', undefined, context)).toBeUndefined();
    expect(validateHookResult('selectParent', { parent: 2 }, context)).toEqual({ parent: 2 });
    const parts = { guidance: ['try wider'], focus: ['DEPTH'], avoid: ['LEARNING_RATE'] };
    expect(validateHookResult('transformPrompt', parts, context)).toEqual(parts);
    expect(validateHookResult('screenProposal', { accept: false, reason: 'no' }, context)).toEqual({
      accept: false,
      reason: 'no',
    });
    expect(validateHookResult('shouldStop', { stop: false, reason: 'fine' }, context)).toBeDefined();
    expect(validateHookResult('onTrialEnd', { anything: 1 }, context)).toEqual({ anything: 1 });
  });

  it('names a parent that is not a kept trial, and lists the kept ones', () => {
    expect(messageOf(() => validateHookResult('selectParent', { parent: 1 }, context))).toBe(
      'selectParent returned {"parent":1}: parent 1 is not a kept trial in context.kept (kept: 0, 2)',
    );
    expect(messageOf(() => validateHookResult('selectParent', { parent: 0.5 }, context))).toMatch(/parent/);
  });

  it('bounds transformPrompt: unknown tunables, too many or too long lines, extra keys', () => {
    const base = { guidance: [], focus: [], avoid: [] };
    expect(messageOf(() => validateHookResult('transformPrompt', { ...base, focus: ['NOPE'] }, context))).toMatch(
      /focus names unknown tunables: NOPE \(known: LEARNING_RATE, BATCH_SIZE/,
    );
    const many = { ...base, guidance: Array.from({ length: 21 }, () => 'x') };
    expect(messageOf(() => validateHookResult('transformPrompt', many, context))).toMatch(/guidance/);
    const long = { ...base, guidance: ['y'.repeat(501)] };
    expect(messageOf(() => validateHookResult('transformPrompt', long, context))).toMatch(/guidance/);
    expect(messageOf(() => validateHookResult('transformPrompt', { ...base, extra: 1 }, context))).toMatch(/extra/);
    expect(messageOf(() => validateHookResult('transformPrompt', { guidance: 'text' }, context))).toMatch(/guidance/);
  });

  it('requires reasons, known verdicts and a measured outcome for keep', () => {
    expect(messageOf(() => validateHookResult('screenProposal', { accept: false }, context))).toMatch(/reason/);
    expect(messageOf(() => validateHookResult('screenProposal', { accept: 'yes' }, context))).toMatch(/accept/);
    expect(messageOf(() => validateHookResult('judgeOutcome', { verdict: 'maybe', reason: 'r' }, context))).toMatch(
      /verdict/,
    );
    const crashed: OutcomeView = { status: 'crash', metric: null, verdict: 'discard', confirmations: [] };
    expect(
      messageOf(() => validateHookResult('judgeOutcome', { verdict: 'keep', reason: 'r' }, context, crashed)),
    ).toMatch(/cannot keep an outcome that was not measured/);
    expect(messageOf(() => validateHookResult('shouldStop', true, context))).toMatch(/shouldStop returned true/);
  });
});
