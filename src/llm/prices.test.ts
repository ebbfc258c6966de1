import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultPrices, estimateCostUsd, findPrice, loadPriceTable } from './prices.js';

describe('prices', () => {
  test('the longest provider:model prefix wins, so dated versions match and mini is not priced as full', () => {
    expect(findPrice(defaultPrices, 'openai', 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(findPrice(defaultPrices, 'openai', 'gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(findPrice(defaultPrices, 'anthropic', 'claude-3-5-haiku-20241022')).toEqual({ input: 0.8, output: 4 });
    expect(findPrice(defaultPrices, 'local', 'model.gguf')).toBeUndefined();
  });

  test('cost is tokens × USD per million; unpriced models cost 0', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 500_000 };
    expect(estimateCostUsd(defaultPrices, 'openai', 'gpt-4o', usage)).toBeCloseTo(2.5 + 5, 10);
    expect(estimateCostUsd(defaultPrices, 'replay', 'x.jsonl', usage)).toBe(0);
  });

  test('a user file overrides and extends the table; a bad file is a CONFIG error', () => {
    const directory = mkdtempSync(join(tmpdir(), 'prices-'));
    const file = join(directory, 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({
        'openai:gpt-4o': { input: 1, output: 2 },
        'openai-compatible:llama3': { input: 0.5, output: 0.5 },
      }),
    );
    const table = loadPriceTable(file);
    expect(findPrice(table, 'openai', 'gpt-4o')).toEqual({ input: 1, output: 2 });
    expect(findPrice(table, 'openai-compatible', 'llama3')).toEqual({ input: 0.5, output: 0.5 });
    writeFileSync(file, JSON.stringify({ 'gpt-4o': { input: -1 } }));
    expect(() => loadPriceTable(file)).toThrow(/price file/);
    expect(() => loadPriceTable(join(directory, 'absent.json'))).toThrow(/cannot read price file/);
  });
});
