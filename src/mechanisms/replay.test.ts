import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from './__fixtures__/load-trace.js';
import { basePromptParts } from './build-context.js';
import { builtinMechanisms } from './builtin/index.js';
import { type ComposedMechanisms, composeMechanisms } from './compose.js';
import { createInProcessRuntime, type InProcessRuntime } from './in-process-runtime.js';
import { defineMechanism, type Mechanism } from './mechanism.js';
import { type RecordedTrace, toTrialRecordView } from './recorded-trace.js';
import { contextFor, rebuildState, replayTrace } from './replay.js';

const declinesEverything = defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'declines-everything',
  description: 'Has every decision hook and never answers.',
  selectParent: () => undefined,
  transformPrompt: () => undefined,
  screenProposal: () => ({ accept: true }),
  judgeOutcome: () => undefined,
  shouldStop: () => ({ stop: false, reason: 'keep going' }),
});

describe('replayTrace', () => {
  it('reports a mechanism that never changes a decision as inert, with its call counts', async () => {
    const trace = loadFixtureTrace('crash-streak');
    const report = await replayTrace(createInProcessRuntime(declinesEverything), trace);
    expect(report.inert).toBe(true);
    expect(report.decisionsChanged).toBe(0);
    expect(report.trials).toBe(17);
    const proposals = trace.trials.slice(1).filter((trial) => trial.proposal !== null).length;
    const measured = trace.trials.slice(1).filter((trial) => trial.outcome !== null).length;
    expect(report.hookCalls).toMatchObject({
      selectParent: 16,
      transformPrompt: 16,
      shouldStop: 16,
      screenProposal: proposals,
      judgeOutcome: measured,
    });
    expect(proposals).toBe(15);
    expect(report.failures).toEqual([]);
  });

  it('counts changes per hook and lists failures without retiring the mechanism', async () => {
    const picky = defineMechanism({
      specificationVersion: 'mechanism-v1',
      name: 'picky',
      description: 'Rejects every change to DEPTH, returns a bad parent on odd trials.',
      screenProposal: (_context, proposal) =>
        'DEPTH' in proposal.changed ? { accept: false, reason: 'DEPTH is off limits' } : undefined,
      selectParent: (context) => (context.trialIndex % 2 === 1 ? { parent: 1000 } : undefined),
    });
    const trace = loadFixtureTrace('plateau');
    const report = await replayTrace(createInProcessRuntime(picky), trace);
    const depthMoves = trace.trials.filter((trial) => trial.proposal && 'DEPTH' in trial.proposal.changed).length;
    expect(report.byHook.screenProposal).toEqual({ calls: 30, changed: depthMoves });
    expect(report.decisionsChanged).toBe(depthMoves);
    expect(report.inert).toBe(false);
    expect(report.failures).toHaveLength(15);
    expect(report.failures[0]).toMatch(/^trial 1, selectParent: invalid-return: .*parent 1000 is not a kept trial/);
    expect(report.retired).toBe(false);
  });

  it('follows a confirm only as far as the trace recorded confirmation re-runs', async () => {
    const confirmer = defineMechanism({
      specificationVersion: 'mechanism-v1',
      name: 'confirmer',
      description: 'Always asks for one more run.',
      judgeOutcome: (_context, outcome) => ({ verdict: 'confirm', reason: `after ${outcome.confirmations.length}` }),
    });
    const base = loadFixtureTrace('plateau');
    const trials = base.trials
      .slice(0, 3)
      .map((trial, position) =>
        position === 2 && trial.outcome
          ? { ...trial, outcome: { ...trial.outcome, confirmations: [2.07, 2.06] } }
          : trial,
      );
    const report = await replayTrace(createInProcessRuntime(confirmer), { ...base, trials });
    const judged = report.decisions.filter((decision) => decision.hook === 'judgeOutcome');
    expect(judged.map((decision) => [decision.trialIndex, (decision.result as { reason: string }).reason])).toEqual([
      [1, 'after 0'],
      [2, 'after 0'],
      [2, 'after 1'],
      [2, 'after 2'],
    ]);
  });
});

/** Drives a composition through trials [from, to) as the loop would, returning every combined decision. */
async function drive(composed: ComposedMechanisms, trace: RecordedTrace, from: number, to: number) {
  const decisions: unknown[] = [];
  for (const trial of trace.trials.slice(from, to)) {
    if (trial.index > 0) {
      const context = contextFor(trace, trial.index, trial.index);
      decisions.push(await composed.shouldStop(context));
      decisions.push(await composed.selectParent(context, trial.defaultParent ?? trial.parent));
      decisions.push(await composed.transformPrompt(context, basePromptParts(context.settings)));
      if (trial.proposal) decisions.push(await composed.screenProposal(context, trial.proposal));
      if (trial.outcome) decisions.push(await composed.judgeOutcome(context, trial.outcome));
    }
    await composed.onTrialEnd(contextFor(trace, trial.index + 1, trial.index), toTrialRecordView(trial));
  }
  return decisions;
}

function freshBuiltins(): InProcessRuntime[] {
  return Object.values(builtinMechanisms).map((mechanism: Mechanism) => createInProcessRuntime(mechanism));
}

describe('rebuildState (resume)', () => {
  it.each(['plateau', 'repeats', 'crash-streak'] as const)(
    'an interrupted run resumed by replay decides exactly like an uninterrupted one (%s)',
    async (scenario) => {
      const trace = loadFixtureTrace(scenario);
      const cut = Math.floor(trace.trials.length / 2);
      const configs = { 'plateau-restart': { patience: 4 }, tabu: { tenure: 6 } };

      const straightRuntimes = freshBuiltins();
      const straight = composeMechanisms(straightRuntimes);
      await straight.init(trace.seed, configs);
      await drive(straight, trace, 0, cut);
      const savedActivity = straight.activity();
      const expected = await drive(straight, trace, cut, trace.trials.length);

      const resumedRuntimes = freshBuiltins();
      const resumed = composeMechanisms(resumedRuntimes);
      resumed.restoreActivity(savedActivity);
      await resumed.init(trace.seed, configs);
      await rebuildState(resumed, { ...trace, trials: trace.trials.slice(0, cut) });
      expect(resumed.activity()).toEqual(savedActivity);
      const actual = await drive(resumed, trace, cut, trace.trials.length);

      expect(actual).toEqual(expected);
      expect(resumed.activity()).toEqual(straight.activity());
      expect(resumedRuntimes.map((runtime) => runtime.snapshot())).toEqual(
        straightRuntimes.map((runtime) => runtime.snapshot()),
      );
      expect(straight.activity().reduce((sum, item) => sum + item.decisionsChanged, 0)).toBeGreaterThan(0);
    },
  );

  it('rebuilds a single runtime and reports its onTrialEnd failures', async () => {
    const trace = loadFixtureTrace('repeats');
    const live = createInProcessRuntime(builtinMechanisms.bandit as Mechanism);
    const composed = composeMechanisms([live]);
    await composed.init(trace.seed);
    await drive(composed, trace, 0, trace.trials.length);
    const rebuilt = createInProcessRuntime(builtinMechanisms.bandit as Mechanism);
    const result = await rebuildState(rebuilt, trace, composed.configOf('bandit'));
    expect(result).toEqual({ trials: 21, failures: [] });
    expect(rebuilt.snapshot()).toEqual(live.snapshot());

    const fragile = defineMechanism({
      specificationVersion: 'mechanism-v1',
      name: 'fragile',
      description: 'Fails on crashed trials.',
      onTrialEnd: (_context, trial) => {
        if (trial.status === 'crash') throw new Error('cannot handle a crash');
        return undefined;
      },
    });
    const crashes = loadFixtureTrace('crash-streak');
    const report = await rebuildState(createInProcessRuntime(fragile), crashes);
    expect(report.failures).toHaveLength(crashes.trials.filter((trial) => trial.status === 'crash').length);
    expect(report.failures[0]).toBe('trial 2, onTrialEnd: throw: onTrialEnd threw Error: cannot handle a crash');
  });
});
