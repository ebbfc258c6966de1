import { describe, expect, it } from 'vitest';
import type { SettingsSnapshot } from '../records/settings-snapshot.js';
import { renderSettingsSection } from './settings-section.js';

const snapshots: SettingsSnapshot[] = [
  {
    cycle: 1,
    afterTrial: 5,
    settings: { frozen: ['WEIGHT_DECAY', 'DEPTH'], strategy: 'exploit', guidance: 'raise LR' },
    analyst: 'llm',
    rationale: 'LR moves up were kept twice.',
    changes: ['froze WEIGHT_DECAY: 4 moves, none kept', 'strategy balanced → exploit'],
    ok: true,
  },
  {
    cycle: 2,
    afterTrial: 10,
    settings: { frozen: ['WEIGHT_DECAY', 'DEPTH'], strategy: 'exploit', guidance: 'raise LR' },
    analyst: 'llm',
    rationale: '',
    changes: [],
    ok: false,
    error: 'reply was not JSON',
  },
];

describe('renderSettingsSection', () => {
  it('writes one row per cycle with after trial, frozen, strategy, guidance, changes, analyst and outcome', () => {
    const text = renderSettingsSection(snapshots, { levels: ['1', '1.5'], outerEvery: 5 });
    const rows = text.split('\n').filter((line) => /^\| \d/.test(line));
    expect(rows).toEqual([
      '| 1 | 5 | WEIGHT_DECAY, DEPTH | exploit | raise LR | froze WEIGHT_DECAY: 4 moves, none kept; strategy balanced → exploit | llm | ok |',
      '| 2 | 10 | WEIGHT_DECAY, DEPTH | exploit | raise LR | no change | llm | failed: reply was not JSON (settings kept) |',
    ]);
    expect(text).toContain('- cycle 1: LR moves up were kept twice.');
    expect(text).toContain('An outer cycle every 5 trials');
  });

  it('says when Level 1.5 was off or has not run yet', () => {
    expect(renderSettingsSection([], { levels: ['1'], outerEvery: 5 })).toContain('Level 1.5 was not enabled');
    expect(renderSettingsSection([], { levels: ['1', '1.5'], outerEvery: 4 })).toContain(
      'No outer cycle yet (the first runs after trial 4).',
    );
  });
});
