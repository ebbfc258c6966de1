import { describe, expect, it } from 'vitest';
import { renderHeaderSection, stateNotice } from './header-section.js';
import type { RunStatus } from './run-status.js';

const status: RunStatus = {
  id: 'run-1',
  task: 'synthetic',
  state: 'finished',
  stateReason: '',
  levels: ['1', '1.5'],
  proposer: 'llm',
  llm: { model: 'openai:gpt-x', calls: 7, inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 },
  mode: 'params',
  seed: 3,
  plannedTrials: 4,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:01:00.000Z',
  metric: { name: 'val_bpb', direction: 'minimize' },
  baseline: 1.2,
  best: { trial: 3, metric: 1.15 },
  trials: [
    {
      index: 0,
      status: 'keep',
      metric: 1.2,
      commit: 'a',
      summary: 'baseline',
      reason: '',
      worker: null,
      proposer: null,
    },
    {
      index: 1,
      status: 'discard',
      metric: 1.3,
      commit: null,
      summary: 's',
      reason: 'r',
      worker: null,
      proposer: 'random',
    },
    {
      index: 2,
      status: 'crash',
      metric: null,
      commit: null,
      summary: 's',
      reason: 'exit 1',
      worker: null,
      proposer: 'random',
    },
    { index: 3, status: 'keep', metric: 1.15, commit: 'b', summary: 's', reason: '', worker: null, proposer: 'random' },
  ],
  mechanisms: [],
  settingsHistory: [],
  paths: { work: '/w' },
};
const input = {
  status,
  promptHashes: { 'propose.md': 'abcdef0123456789', 'analyze.md': '0123456789abcdef' },
  configuredMechanisms: ['tabu'],
  trialSeconds: 185,
  elapsedSeconds: 190,
  processAlive: null,
  generatedAt: '2026-01-02T00:00:00.000Z',
};

describe('renderHeaderSection', () => {
  const text = renderHeaderSection(input);

  it('states the task, metric, result, levels, proposer and trial counts', () => {
    expect(text.startsWith('# Run run-1\n')).toBe(true);
    expect(text).toContain('- **Metric:** val_bpb (lower is better)');
    expect(text).toContain(
      'baseline 1.200000 → best 1.150000 at trial 3; improvement +0.050000 (4.167%) (positive = better)',
    );
    expect(text).toContain('- **Levels:** 1, 1.5');
    expect(text).toContain('- **Proposer:** llm (openai:gpt-x); seed 3');
    expect(text).toContain('4 recorded of 5 planned (baseline + 4) — 2 keep, 1 discard, 1 crash');
    expect(text).toContain('3 min 05 s in trials, 3 min 10 s from first to last');
    expect(text).toContain('7 calls, 1200 input / 340 output tokens, ~$0.0123');
    expect(text).toContain('analyze.md `0123456789ab`, propose.md `abcdef012345`');
    expect(text).toContain('- **Mechanisms:** tabu\n');
    const injected = renderHeaderSection({
      ...input,
      status: {
        ...status,
        mechanisms: ['tabu', 'one-factor-sweep'].map((name) => ({
          name,
          origin: 'builtin',
          status: 'active',
          hookCalls: 0,
          hookCallsByHook: {},
          decisionsChanged: 0,
          strikes: 0,
        })),
      },
    });
    expect(injected).toContain('- **Mechanisms:** tabu at start; one-factor-sweep added during the run');
    expect(text).not.toContain('> **');
  });

  it('signs the improvement by direction: higher is better for maximize', () => {
    const maximize = renderHeaderSection({
      ...input,
      status: {
        ...status,
        metric: { name: 'acc', direction: 'maximize' },
        baseline: 0.5,
        best: { trial: 1, metric: 0.4 },
      },
    });
    expect(maximize).toContain('improvement -0.100000 (-20.000%)');
  });

  it('says when no trial has a kept metric yet', () => {
    const empty = renderHeaderSection({ ...input, status: { ...status, best: null, baseline: null, trials: [] } });
    expect(empty).toContain('no kept trial with a metric yet');
  });
});

describe('stateNotice', () => {
  it('warns at the top for runs that did not finish', () => {
    expect(stateNotice(status, null)).toBe('');
    expect(stateNotice({ ...status, state: 'interrupted', stateReason: 'Ctrl-C' }, null)).toContain(
      '**Interrupted**: Ctrl-C (trials: 4 recorded of 5 planned (baseline + 4)). `bilevel resume run-1` continues it.',
    );
    expect(
      stateNotice({ ...status, state: 'interrupted', stateReason: 'stopped; `bilevel resume` continues it' }, null),
    ).toBe(
      '> **Interrupted**: stopped; `bilevel resume` continues it (trials: 4 recorded of 5 planned (baseline + 4)).',
    );
    expect(stateNotice({ ...status, state: 'failed', stateReason: 'disk full' }, null)).toContain(
      '**Failed**: disk full',
    );
    expect(stateNotice({ ...status, state: 'running' }, true)).toContain('still running');
    expect(stateNotice({ ...status, state: 'running' }, false)).toContain('its process is gone');
    const header = renderHeaderSection({ ...input, status: { ...status, state: 'failed', stateReason: 'boom' } });
    expect(header.split('\n')[2]).toMatch(/^> \*\*Failed\*\*: boom/);
  });
});
