import { describe, expect, it } from 'vitest';
import { readSummaryLines, SummaryLines } from './summary-lines.js';

describe('SummaryLines', () => {
  it('keeps the last value per key, across chunk boundaries and split UTF-8 characters', () => {
    const reader = new SummaryLines();
    const text = Buffer.from('val_bpb: 1.5\nnote: café\nval_b', 'utf8');
    const rest = Buffer.from('pb: 1.25\r\nlast: no newline', 'utf8');
    const cut = text.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
    reader.push(text.subarray(0, cut));
    reader.push(text.subarray(cut));
    reader.push(rest);
    reader.end();
    expect(reader.values()).toEqual({ val_bpb: '1.25', note: 'café', last: 'no newline' });
  });

  it('reads a metric printed after 50 MB of output, holding only a bounded amount of it', () => {
    const reader = new SummaryLines();
    const noise = Buffer.alloc(1024 * 1024, 'x');
    for (let index = 0; index < 50; index++) reader.push(noise); // one 50 MB line: skipped, not buffered
    reader.push('\n');
    const lines = Buffer.from('progress line\n'.repeat(100_000));
    for (let index = 0; index < 10; index++) reader.push(lines);
    reader.push('val_bpb: 0.987\n');
    reader.end();
    expect(reader.values()).toEqual({ val_bpb: '0.987' });
  });

  it('bounds the number of keys and the length of values', () => {
    const many = Array.from({ length: 400 }, (_, index) => `key_${index}: ${index}`).join('\n');
    const values = readSummaryLines(`${many}\nkey_0: again\nlong: ${'v'.repeat(1000)}\n`);
    expect(Object.keys(values)).toHaveLength(256);
    expect(values.key_0).toBe('again');
    expect(values.long).toBeUndefined();
    expect(readSummaryLines(`a: ${'v'.repeat(1000)}\n`).a).toHaveLength(256);
  });
});
