import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMetric,
  formatParamValue,
  formatSigned,
  markdownCell,
  markdownTable,
} from './markdown-table.js';

describe('markdownCell', () => {
  it('keeps a cell on one line and inside its column', () => {
    expect(markdownCell('a | b\nc\t<script>')).toBe('a \\| b c &lt;script>');
    expect(markdownCell('back\\slash')).toBe('back\\\\slash');
  });

  it('cuts long text with an ellipsis at the limit', () => {
    const cell = markdownCell('x'.repeat(50), 10);
    expect(cell).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('markdownTable', () => {
  it('writes a header, a separator and one line per row', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('number formats', () => {
  it('formats metrics, signed differences and durations', () => {
    expect(formatMetric(1.5)).toBe('1.500000');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
    expect(formatSigned(0.0012)).toBe('+0.001200');
    expect(formatSigned(-0.0003)).toBe('-0.000300');
    expect(formatSigned(0)).toBe('±0.000000');
    expect(formatDuration(42.14)).toBe('42.1 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7620)).toBe('2 h 07 min');
    // Rounding carries over instead of printing "1 min 60 s" or "59.9… s" as "60.0 s".
    expect(formatDuration(119.6)).toBe('2 min 00 s');
    expect(formatDuration(59.97)).toBe('1 min 00 s');
    expect(formatDuration(7199.9)).toBe('2 h 00 min');
    expect(formatParamValue('SSSL')).toBe('"SSSL"');
    expect(formatParamValue(0.04)).toBe('0.04');
    expect(formatParamValue(true)).toBe('true');
  });
});
