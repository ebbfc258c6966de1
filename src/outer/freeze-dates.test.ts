import { describe, expect, it } from 'vitest';
import { freezeSnapshot, type SettingsSnapshot } from '../records/settings-snapshot.js';
import { frozenSince, unfrozenAt } from './freeze-dates.js';

const snapshot = (cycle: number, frozen: string[]): SettingsSnapshot =>
  freezeSnapshot({
    cycle,
    afterTrial: cycle * 5,
    settings: { frozen, strategy: 'balanced', guidance: '' },
    analyst: 'rules',
    rationale: '',
    changes: [],
    ok: true,
  });

describe('freeze dates', () => {
  const history = [snapshot(1, ['A']), snapshot(2, ['A', 'B']), snapshot(3, ['B']), snapshot(4, ['A', 'B'])];

  it('dates a freeze from the start of its latest unbroken run of snapshots', () => {
    expect(frozenSince('B', history)).toBe(10);
    expect(frozenSince('A', history)).toBe(20);
    expect(frozenSince('C', history)).toBeUndefined();
    expect(frozenSince('A', [])).toBeUndefined();
  });

  it('finds the last unfreeze', () => {
    expect(unfrozenAt('A', history)).toBe(15);
    expect(unfrozenAt('B', history)).toBeUndefined();
  });
});
