import { describe, expect, it } from 'vitest';
import { buildRandomSearchTrace } from '../../test/fixtures/random-search-trace.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import { renderRecentTrials } from './trial-table.js';

describe('renderRecentTrials', () => {
  it('shows the last `limit` trials, oldest first, and says how many were left out', () => {
    const history = buildRandomSearchTrace(1, 40);
    const lines = renderRecentTrials(history, 10).split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[2]).toMatch(
      /^\| 31 \| discard \| 1\.05976 \| 10 \| WEIGHT_DECAY 0\.297→0\.194, WARMUP_RATIO 0\.1→0\.015 \|$/,
    );
    expect(lines[11]).toMatch(/^\| 40 \|/);
    expect(lines[12]).toBe('(31 earlier trials not shown)');
  });

  it('keeps every row on one line and bounded, with the reason for failures', () => {
    const crashed: TrialRecordView = {
      index: 3,
      status: 'crash',
      metric: null,
      values: {},
      changed: {},
      summary: `rewrote the optimizer | ${'and more '.repeat(40)}`,
      reason: 'exit code 1\nTraceback',
      parent: 0,
    };
    const lines = renderRecentTrials([crashed], 20).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^\| 3 \| crash \| – \| 0 \| rewrote the optimizer and more/);
    expect(lines[2]?.length).toBeLessThan(200);
  });
});
