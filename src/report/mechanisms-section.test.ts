import { describe, expect, it } from 'vitest';
import { examplesPerKind, type ReportMechanismEvent, renderMechanismsSection } from './mechanisms-section.js';
import type { MechanismStatus } from './run-status.js';

const mechanisms: MechanismStatus[] = [
  {
    name: 'tabu',
    origin: 'builtin',
    status: 'active',
    hookCalls: 20,
    hookCallsByHook: { screenProposal: 12, onTrialEnd: 8, judgeOutcome: 0 },
    decisionsChanged: 5,
    strikes: 0,
  },
  {
    name: 'gen-plateau',
    origin: 'generated',
    status: 'retired',
    hookCalls: 3,
    hookCallsByHook: { shouldStop: 3 },
    decisionsChanged: 0,
    strikes: 2,
    retiredReason: 'two strikes',
  },
];

const events: ReportMechanismEvent[] = [
  ...Array.from({ length: examplesPerKind + 1 }, (_, index) => ({
    trialIndex: index + 2,
    mechanism: 'tabu',
    kind: 'decision-changed',
    hook: 'screenProposal',
    before: { accept: true },
    after: { accept: false, reason: `LR=0.0${index} tried` },
  })),
  {
    trialIndex: 9,
    mechanism: 'tabu',
    kind: 'decision-changed',
    hook: 'judgeOutcome',
    before: 'discard',
    after: 'keep',
  },
  { trialIndex: 4, mechanism: 'gen-plateau', kind: 'strike', hook: 'shouldStop', detail: 'timed out after 50 ms' },
  { trialIndex: 6, mechanism: 'gen-plateau', kind: 'strike', hook: 'shouldStop', detail: 'threw: x is undefined' },
  { trialIndex: 6, mechanism: 'gen-plateau', kind: 'retired', detail: 'two strikes' },
];

describe('renderMechanismsSection', () => {
  const text = renderMechanismsSection(mechanisms, events);

  it('summarizes each mechanism: origin, status, hook calls per hook, decisions changed, strikes, retirement', () => {
    expect(text).toContain('| tabu | builtin | active | 20 (screenProposal 12, onTrialEnd 8) | 5 | 0 | — |');
    expect(text).toContain('| gen-plateau | generated | retired | 3 (shouldStop 3) | 0 | 2 | two strikes |');
  });

  it('counts changed decisions by hook and shows the first examples before → after', () => {
    expect(text).toContain('Changed 5 decisions: screenProposal 4, judgeOutcome 1.');
    expect(text).toContain(
      '- trial 2, screenProposal: `{"accept":true}` → `{"accept":false,"reason":"LR=0.00 tried"}`',
    );
    expect(text).not.toContain('trial 5, screenProposal');
    expect(text).toContain('- … and 2 more');
  });

  it('lists strikes and the retirement', () => {
    expect(text).toContain('Strikes (2):');
    expect(text).toContain('- trial 4, shouldStop: timed out after 50 ms');
    expect(text).toContain('Retired at trial 6: two strikes.');
    expect(text).toContain('### gen-plateau\n\nChanged no decision in 3 hook calls.');
  });

  it('says when no mechanism was active', () => {
    expect(renderMechanismsSection([], [])).toContain('No mechanism was active in this run.');
  });
});
