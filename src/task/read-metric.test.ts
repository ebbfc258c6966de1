import { describe, expect, it } from 'vitest';
import { readSummaryLines } from '../executor/summary-lines.js';
import { readMetric } from './read-metric.js';

const read = (text: string, name: string) => readMetric(readSummaryLines(text), name);

describe('readMetric', () => {
  it('reads a padded Karpathy summary line', () => {
    expect(read('step 953\n---\nval_bpb:          0.997900\ntraining_seconds: 300.1\n', 'val_bpb')).toBe(0.9979);
  });

  it('takes the last matching line', () => {
    expect(read('val_bpb: 1.5\nval_bpb: 1.25\r\nother: 3\n', 'val_bpb')).toBe(1.25);
  });

  it('ignores lines that do not start with the name, and other names', () => {
    expect(read('  val_bpb: 0.5\nprefix val_bpb: 0.4\nmy_val_bpb: 0.3\nval_bpb_ema: 0.2\n', 'val_bpb')).toBeNull();
    expect(read('log: val_bpb: 0.5\nval_bpb: 1.5\n', 'val_bpb')).toBe(1.5);
  });

  it('turns nan and inf into NaN', () => {
    expect(read('val_bpb: nan\n', 'val_bpb')).toBeNaN();
    expect(read('val_bpb: NaN\n', 'val_bpb')).toBeNaN();
    expect(read('val_bpb: -inf\n', 'val_bpb')).toBeNaN();
    expect(read('val_bpb: 1.1\nval_bpb: inf\n', 'val_bpb')).toBeNaN();
  });

  it('reads exponents and treats a dotted name literally', () => {
    expect(read('eval.loss: 2.5e-3\n', 'eval.loss')).toBe(0.0025);
    expect(read('evalXloss: 2\n', 'eval.loss')).toBeNull();
    expect(read('VAL_BPB: 2\n', 'val_bpb')).toBeNull();
    expect(read('val_bpb: Infinity\n', 'val_bpb')).toBeNaN();
  });

  it('returns null when there is no line or no number, and for names of Object.prototype', () => {
    expect(read('', 'val_bpb')).toBeNull();
    expect(read('val_bpb: pending\n', 'val_bpb')).toBeNull();
    expect(read('val_bpb: 1.2.3\n', 'val_bpb')).toBeNull();
    expect(readMetric({}, 'constructor')).toBeNull();
  });
});
