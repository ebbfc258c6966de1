import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../executor/executor.js';
import { lastLine, measureOutcome } from './measure-outcome.js';

function result(overrides: Partial<ExecutionResult>): ExecutionResult {
  return {
    kind: 'exited',
    exitCode: 0,
    exitSignal: null,
    wallSeconds: 1,
    peakMemoryMb: 10,
    logTail: '',
    summary: {},
    ...overrides,
  };
}

describe('measureOutcome', () => {
  it('accepts a finite metric from a clean exit', () => {
    expect(measureOutcome(result({}), 'val_bpb', 1.1, [], 10)).toEqual({ status: 'ok', metric: 1.1, reason: '' });
  });

  it('turns NaN, a missing line, a non-zero exit, a timeout and tampering into failures with reasons', () => {
    expect(measureOutcome(result({}), 'val_bpb', Number.NaN, [], 10)).toMatchObject({
      status: 'crash',
      reason: 'val_bpb is NaN (diverged)',
    });
    expect(measureOutcome(result({}), 'val_bpb', null, [], 10).reason).toMatch(/no "val_bpb: <number>" line/);
    expect(
      measureOutcome(
        result({ exitCode: 1, logTail: 'Error: boom\n    at x (y.js:1)\nNode.js v20.20.2\n' }),
        'm',
        1,
        [],
        10,
      ),
    ).toMatchObject({
      status: 'crash',
      reason: 'exit code 1: Error: boom',
    });
    expect(measureOutcome(result({ kind: 'timeout', exitCode: null }), 'm', null, [], 7)).toMatchObject({
      status: 'timeout',
      reason: 'killed after the 7 s timeout',
    });
    expect(measureOutcome(result({}), 'm', 1, ['prepare.ts'], 10).reason).toMatch(
      /modified protected or hidden file\(s\): prepare.ts/,
    );
  });
});

describe('lastLine', () => {
  it('prefers the line naming the error over stack frames and footers', () => {
    expect(lastLine('step 1\nRangeError: out of range\n    at f (a.ts:3:1)\n\nNode.js v20.20.2\n')).toBe(
      'RangeError: out of range',
    );
    expect(lastLine('just output\n')).toBe('just output');
    expect(lastLine('')).toBe('(no output)');
  });
});
