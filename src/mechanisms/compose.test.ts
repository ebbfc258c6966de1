import { describe, expect, it } from 'vitest';
import { type ComposeOptions, composeMechanisms, type MechanismEvent } from './compose.js';
import type { HookName } from './hooks.js';
import { createInProcessRuntime } from './in-process-runtime.js';
import type { Mechanism, OutcomeView } from './mechanism.js';
import { contextFor } from './replay.js';
import { HookFailure, type MechanismRuntime } from './runtime.js';
import { makeSyntheticTrace } from './synthetic-trace.js';

const trace = makeSyntheticTrace('plateau');
/** Trial 8 of the plateau trace: kept trials 0–6, incumbent 6. */
const context = contextFor(trace, 8, 8);
const parts = { guidance: ['base'], focus: [], avoid: [] };
const keepOutcome: OutcomeView = { status: 'ok', metric: 1.9, verdict: 'keep', confirmations: [] };

function mechanism(name: string, hooks: Partial<Mechanism>): Mechanism {
  return { specificationVersion: 'mechanism-v1', name, description: `${name} test mechanism`, ...hooks };
}

async function compose(mechanisms: Mechanism[], options: ComposeOptions = {}) {
  const events: MechanismEvent[] = [];
  const composed = composeMechanisms(
    mechanisms.map((item) => createInProcessRuntime(item)),
    { ...options, onEvent: (event) => events.push(event) },
  );
  await composed.init(trace.seed);
  return { composed, events };
}

describe('composeMechanisms: combination rules', () => {
  it('selectParent: the first answer wins; a change from the default is one event', async () => {
    const calls: string[] = [];
    const track = <T>(name: string, answer: T): T => {
      calls.push(name);
      return answer;
    };
    const { composed, events } = await compose([
      mechanism('declines', { selectParent: () => track('declines', undefined) }),
      mechanism('picks-two', { selectParent: () => track('picks-two', { parent: 2 }) }),
      mechanism('picks-three', { selectParent: () => track('picks-three', { parent: 3 }) }),
    ]);
    expect(await composed.selectParent(context, 6)).toBe(2);
    expect(calls).toEqual(['declines', 'picks-two']);
    expect(events).toEqual([
      { kind: 'decision-changed', trialIndex: 8, mechanism: 'picks-two', hook: 'selectParent', before: 6, after: 2 },
    ]);
    expect(await composed.selectParent(context, 2)).toBe(2);
    expect(events).toHaveLength(1);
    const activity = composed.activity();
    expect(activity.map((item) => item.hookCalls.selectParent)).toEqual([2, 2, 0]);
    expect(activity.map((item) => item.decisionsChanged)).toEqual([0, 1, 0]);
  });

  it('transformPrompt: a pipeline, each mechanism sees the previous output', async () => {
    const { composed, events } = await compose([
      mechanism('focus-depth', { transformPrompt: (_c, prompt) => ({ ...prompt, focus: ['DEPTH'] }) }),
      mechanism('same-again', { transformPrompt: (_c, prompt) => ({ ...prompt }) }),
      mechanism('add-line', {
        transformPrompt: (_c, prompt) => ({ ...prompt, guidance: [...prompt.guidance, `focus was ${prompt.focus}`] }),
      }),
    ]);
    expect(await composed.transformPrompt(context, parts)).toEqual({
      guidance: ['base', 'focus was DEPTH'],
      focus: ['DEPTH'],
      avoid: [],
    });
    expect(events.map((event) => event.mechanism)).toEqual(['focus-depth', 'add-line']);
    expect(events[1]?.before).toEqual({ guidance: ['base'], focus: ['DEPTH'], avoid: [] });
  });

  it('screenProposal: any rejection rejects; acceptances change nothing', async () => {
    const proposal = trace.trials[8]?.proposal;
    if (!proposal) throw new Error('fixture trial 8 has a proposal');
    const { composed, events } = await compose([
      mechanism('accepts', { screenProposal: () => ({ accept: true }) }),
      mechanism('rejects', { screenProposal: () => ({ accept: false, reason: 'seen it' }) }),
    ]);
    expect(await composed.screenProposal(context, proposal)).toEqual({
      accept: false,
      reason: 'seen it',
      by: 'rejects',
    });
    expect(events.map((event) => [event.mechanism, event.hook])).toEqual([['rejects', 'screenProposal']]);
    const { composed: lenient } = await compose([mechanism('accepts', { screenProposal: () => ({ accept: true }) })]);
    expect(await lenient.screenProposal(context, proposal)).toEqual({ accept: true });
  });

  it('judgeOutcome: first answer wins; the default verdict when all decline; confirm always counts', async () => {
    const { composed: nobody } = await compose([mechanism('silent', { judgeOutcome: () => undefined })]);
    expect(await nobody.judgeOutcome(context, keepOutcome)).toBeUndefined();
    const { composed, events } = await compose([
      mechanism('agrees', { judgeOutcome: (_c, outcome) => ({ verdict: outcome.verdict, reason: 'agree' }) }),
      mechanism('never-called', { judgeOutcome: () => ({ verdict: 'discard', reason: 'x' }) }),
    ]);
    expect(await composed.judgeOutcome(context, keepOutcome)).toEqual({
      verdict: 'keep',
      reason: 'agree',
      by: 'agrees',
    });
    expect(events).toHaveLength(0);
    const { composed: confirming, events: confirmEvents } = await compose([
      mechanism('confirms', { judgeOutcome: () => ({ verdict: 'confirm', reason: 'marginal' }) }),
    ]);
    expect((await confirming.judgeOutcome(context, keepOutcome))?.verdict).toBe('confirm');
    expect(confirmEvents[0]).toMatchObject({ hook: 'judgeOutcome', before: 'keep', after: 'confirm' });
    const exhausted = { ...keepOutcome, confirmations: [1.9, 1.91, 1.92] };
    expect(await confirming.judgeOutcome(context, exhausted)).toEqual({
      verdict: 'keep',
      reason: 'confirmation limit (3) reached',
      by: 'confirms',
    });
  });

  it('propose: the first answer wins; live every answer is a change, in a replay only one unlike the record', async () => {
    const request = { parent: 6, current: { DEPTH: 4, BATCH_SIZE: 32 }, prompt: parts };
    const v2 = (name: string, answer: unknown): Mechanism => ({
      specificationVersion: 'mechanism-v2',
      name,
      description: `${name} test mechanism`,
      propose: () => answer as never,
    });
    const { composed, events } = await compose([
      v2('declines', undefined),
      v2('deep', { values: { DEPTH: 8 }, summary: 'deeper' }),
      v2('shallow', { values: { DEPTH: 2 }, summary: 'shallower' }),
    ]);
    expect(await composed.propose(context, request)).toEqual({ values: { DEPTH: 8 }, summary: 'deeper', by: 'deep' });
    expect(events).toEqual([
      {
        kind: 'decision-changed',
        trialIndex: 8,
        mechanism: 'deep',
        hook: 'propose',
        before: 'the proposer',
        after: { DEPTH: 8 },
      },
    ]);
    // Replay: the recorded trial ran with DEPTH 8 already, so the same answer changes nothing; another value does.
    await composed.propose(context, request, { DEPTH: 8, BATCH_SIZE: 32 });
    expect(events).toHaveLength(1);
    await composed.propose(context, request, { DEPTH: 6, BATCH_SIZE: 32 });
    expect(events).toHaveLength(2);
    expect(composed.activity().map((item) => item.hookCalls.propose)).toEqual([3, 3, 0]);
  });

  it('propose: a v1 module may not propose; an unknown or out-of-range value is a strike', async () => {
    const { composed, events } = await compose([
      mechanism('old', { propose: () => ({ values: { DEPTH: 3 }, summary: 'never called' }) } as never),
      {
        specificationVersion: 'mechanism-v2',
        name: 'sloppy',
        description: 'sloppy test mechanism',
        propose: () => ({ values: { DEPTH: 99, NOPE: 1 }, summary: 'bad' }),
      },
    ]);
    const request = { parent: 6, current: { DEPTH: 4 }, prompt: parts };
    expect(await composed.propose(context, request)).toBeUndefined();
    expect(composed.activity()[0]?.hookCalls.propose).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]?.kind).toBe('strike');
    expect(events[0]?.detail).toContain('DEPTH must lie in [1, 12], not 99');
    expect(events[0]?.detail).toContain('NOPE is not a tunable');
  });

  it('shouldStop: any true stops', async () => {
    const { composed, events } = await compose([
      mechanism('keeps-going', { shouldStop: () => ({ stop: false, reason: 'no' }) }),
      mechanism('stops', { shouldStop: () => ({ stop: true, reason: 'done' }) }),
    ]);
    expect(await composed.shouldStop(context)).toEqual({ reason: 'done', by: 'stops' });
    expect(events.map((event) => event.mechanism)).toEqual(['stops']);
    const { composed: calm } = await compose([mechanism('keeps-going', { shouldStop: () => undefined })]);
    expect(await calm.shouldStop(context)).toBeUndefined();
  });
});

describe('composeMechanisms: failures, config and activity', () => {
  it('strikes every failure, retires after maxStrikes, and goes on without the mechanism', async () => {
    const { composed, events } = await compose(
      [
        mechanism('bad-parent', { selectParent: () => ({ parent: 999 }) }),
        mechanism('throws-on-end', {
          onTrialEnd: () => {
            throw new Error('observer broke');
          },
          selectParent: () => ({ parent: 1 }),
        }),
      ],
      { maxStrikes: 2 },
    );
    expect(await composed.selectParent(context, 6)).toBe(1);
    expect(await composed.selectParent(context, 6)).toBe(1);
    const trial = trace.trials[7];
    if (!trial) throw new Error('fixture trial 7');
    await composed.onTrialEnd(context, trial);
    const activity = composed.activity();
    expect(activity[0]).toMatchObject({ status: 'retired', strikes: 2 });
    expect(activity[0]?.retiredReason).toMatch(
      /2 strikes; last: invalid-return: selectParent returned \{"parent":999\}/,
    );
    expect(activity[1]).toMatchObject({ status: 'active', strikes: 1, decisionsChanged: 2 });
    expect(events.filter((event) => event.kind === 'strike').map((event) => event.hook)).toEqual([
      'selectParent',
      'selectParent',
      'onTrialEnd',
    ]);
    expect(events.find((event) => event.kind === 'retired')?.mechanism).toBe('bad-parent');
    expect(await composed.selectParent(context, 6)).toBe(1);
    expect(composed.activity()[0]?.hookCalls.selectParent).toBe(2);
  });

  it('times out a slow call (a hung sandbox or a slow synchronous hook)', async () => {
    const hung: MechanismRuntime = {
      ...{ name: 'hung', description: 'never answers', origin: 'generated' },
      hooks: new Set<HookName>(['shouldStop']),
      init: async () => {},
      call: () => new Promise(() => {}),
      dispose: async () => {},
    };
    const slow = mechanism('slow', {
      selectParent: () => {
        const until = performance.now() + 60;
        while (performance.now() < until) {}
        return { parent: 0 };
      },
    });
    const events: MechanismEvent[] = [];
    const composed = composeMechanisms([hung, createInProcessRuntime(slow)], {
      hookTimeoutMs: 30,
      onEvent: (event) => events.push(event),
    });
    await composed.init(1);
    expect(await composed.shouldStop(context)).toBeUndefined();
    expect(await composed.selectParent(context, 6)).toBe(6);
    expect(events.map((event) => event.detail)).toEqual([
      'timeout: shouldStop did not answer within 30 ms',
      expect.stringMatching(/^timeout: selectParent took \d+ ms \(limit 30 ms\)$/),
    ]);
  });

  it('resolves each mechanism config from its params and shows it in that mechanism context only', async () => {
    const seen: Record<string, unknown> = {};
    const withParams = mechanism('with-params', {
      params: { width: { type: 'number', default: 2, min: 1, max: 5, integer: true } },
      init: ({ config }) => ({ atInit: config.width }),
      selectParent: (hookContext, state) => {
        seen.withParams = [hookContext.config, state];
        return undefined;
      },
    });
    const plain = mechanism('plain', {
      selectParent: (hookContext) => {
        seen.plain = hookContext.config;
        return undefined;
      },
    });
    const composed = composeMechanisms([createInProcessRuntime(withParams), createInProcessRuntime(plain)]);
    await composed.init(1, { 'with-params': { width: 4 } });
    await composed.selectParent({ ...context, config: { leaked: true } }, 6);
    expect(seen).toEqual({ withParams: [{ width: 4 }, { atInit: 4 }], plain: {} });
    await expect(composed.init(1, { 'with-params': { width: 9 } })).rejects.toThrow(/outside \[1, 5\]/);
    await expect(composed.init(1, { 'with-params': { depth: 1 } })).rejects.toThrow(/no param "depth"/);
    await expect(composed.init(1, { absent: {} })).rejects.toThrow(
      /config given for mechanisms not in this run: absent/,
    );
  });

  it('activates in order, retires on request, restores saved activity, and refuses duplicates', async () => {
    const { composed, events } = await compose([
      mechanism('first', { shouldStop: () => ({ stop: true, reason: 'a' }) }),
    ]);
    composed.activate(createInProcessRuntime(mechanism('second', { shouldStop: () => ({ stop: true, reason: 'b' }) })));
    expect(await composed.shouldStop(context)).toMatchObject({ by: 'first' });
    composed.retire('first', 'probation: harmful');
    expect(await composed.shouldStop(context)).toMatchObject({ by: 'second' });
    expect(events.at(-2)).toMatchObject({ kind: 'retired', mechanism: 'first', detail: 'probation: harmful' });
    expect(() => composed.activate(createInProcessRuntime(mechanism('second', {})))).toThrow(/already active/);
    expect(() => composed.retire('nobody', 'x')).toThrow(/no mechanism named nobody/);

    const saved = composed.activity();
    const { composed: resumed } = await compose([
      mechanism('first', { shouldStop: () => ({ stop: true, reason: 'a' }) }),
      mechanism('second', { shouldStop: () => ({ stop: true, reason: 'b' }) }),
    ]);
    resumed.restoreActivity(saved);
    expect(resumed.activity()).toEqual(saved);
    expect(await resumed.shouldStop(context)).toMatchObject({ by: 'second' });
  });

  it('rethrows errors that are not hook failures (bugs in a runtime are not strikes)', async () => {
    const buggy: MechanismRuntime = {
      ...{ name: 'buggy-host', description: 'host bug', origin: 'generated' },
      hooks: new Set<HookName>(['shouldStop']),
      init: async () => {},
      call: async () => {
        throw new TypeError('host exploded');
      },
      dispose: async () => {},
    };
    const composed = composeMechanisms([buggy]);
    await expect(composed.shouldStop(context)).rejects.toThrow('host exploded');
    expect(new HookFailure('crash', 'x').kind).toBe('crash');
  });
});
