import { describe, expect, it } from 'vitest';
import { runChartEvents } from './run-chart.js';
import type { MechanismStatus } from './run-status.js';

const mechanism = (name: string, activatedAt: number, retiredAt: number | null): MechanismStatus => ({
  name,
  origin: 'builtin',
  status: retiredAt === null ? 'active' : 'retired',
  hookCalls: 0,
  hookCallsByHook: {},
  decisionsChanged: 0,
  strikes: 0,
  activatedAt,
  retiredAt,
});

describe('runChartEvents', () => {
  it('marks each Level 1.5 cycle, each mechanism Level 2 activated, and each retirement, in trial order', () => {
    const events = runChartEvents(
      [
        { cycle: 1, afterTrial: 5 },
        { cycle: 2, afterTrial: 10 },
      ],
      [mechanism('tabu', 0, null), mechanism('one-factor-sweep', 10, 20), mechanism('bandit', 0, null)],
      [
        { mechanism: 'one-factor-sweep', trialIndex: 20 },
        { mechanism: 'bandit', trialIndex: 7 },
      ],
    );
    expect(events).toEqual([
      { afterTrial: 5, kind: 'level-1.5', label: 'cycle 1' },
      { afterTrial: 7, kind: 'retired', label: 'bandit' },
      { afterTrial: 10, kind: 'level-1.5', label: 'cycle 2' },
      { afterTrial: 10, kind: 'activated', label: 'one-factor-sweep' },
      { afterTrial: 20, kind: 'retired', label: 'one-factor-sweep' },
    ]);
  });
});
