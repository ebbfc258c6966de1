import { describe, expect, it } from 'vitest';
import { bestPatchFileName, inlineDiffLines, renderBestChangeSection } from './best-change-section.js';

const baseline = { metric: 1.1, values: { LR: 0.04, DEPTH: 8, WINDOW: 'SSSL' } };
const best = { index: 7, metric: 1.045, values: { LR: 0.02, DEPTH: 8, WINDOW: 'SL' } };

describe('renderBestChangeSection', () => {
  it('gives the best trial, the change against the baseline, the params that differ and the diff', () => {
    const diff = 'diff --git a/train.py b/train.py\n-LR = 0.04\n+LR = 0.02\n';
    const markdown = renderBestChangeSection({ metricName: 'val_bpb', direction: 'minimize', baseline, best, diff });
    expect(markdown).toContain("Best: trial 7, val_bpb 1.045000 against the baseline's 1.100000 (5.00% lower)");
    expect(markdown).toContain('| LR | 0.04 | 0.02 |');
    expect(markdown).toContain('| WINDOW | "SSSL" | "SL" |');
    expect(markdown).not.toContain('| DEPTH |');
    expect(markdown).toContain(`The whole change, 3 lines, is in [${bestPatchFileName}](${bestPatchFileName}):`);
    expect(markdown).toContain('```diff\ndiff --git a/train.py b/train.py\n-LR = 0.04\n+LR = 0.02\n```');
  });

  it(`clips a long diff to ${inlineDiffLines} lines inline`, () => {
    const diff = Array.from({ length: 500 }, (_, line) => `+line ${line}`).join('\n');
    const markdown = renderBestChangeSection({ metricName: 'm', direction: 'maximize', baseline, best, diff });
    expect(markdown).toContain(`500 lines, is in [best.patch](best.patch); the first ${inlineDiffLines} lines:`);
    expect(markdown).toContain(`+line ${inlineDiffLines - 1}\n`);
    expect(markdown).not.toContain(`+line ${inlineDiffLines}\n`);
  });

  it('says so when nothing beat the baseline, or when the working copy is gone', () => {
    const none = renderBestChangeSection({
      metricName: 'm',
      direction: 'minimize',
      baseline,
      best: { ...best, index: 0 },
      diff: null,
    });
    expect(none).toContain('No trial beat the baseline');
    const gone = renderBestChangeSection({ metricName: 'm', direction: 'minimize', baseline, best, diff: null });
    expect(gone).toContain("No diff: the run's working copy could not be read");
    expect(gone).toContain('| LR | 0.04 | 0.02 |');
  });
});
