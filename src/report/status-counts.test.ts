import { describe, expect, it } from 'vitest';
import { formatStatusCounts } from './status-counts.js';

describe('formatStatusCounts', () => {
  it('counts in the fixed order keep, discard, crash, timeout, rejected, whatever order the trials came in', () => {
    expect(formatStatusCounts(['crash', 'discard', 'keep', 'rejected', 'discard', 'timeout', 'keep', 'keep'])).toBe(
      '3 keep, 2 discard, 1 crash, 1 timeout, 1 rejected',
    );
    expect(formatStatusCounts(['discard', 'keep'])).toBe(formatStatusCounts(['keep', 'discard']));
  });

  it('leaves out statuses no trial has, and says nothing for no trials', () => {
    expect(formatStatusCounts(['rejected', 'keep'])).toBe('1 keep, 1 rejected');
    expect(formatStatusCounts([])).toBe('');
  });
});
