import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '../llm/language-model.js';
import { createAnalyst } from './create-analyst.js';

/** Never called: these tests only pick an analyst. */
const unusedModel: LanguageModel = {
  specificationVersion: 'language-model-v1',
  provider: 'openai-compatible',
  modelId: 'unused',
  supportsJsonSchema: true,
  generate: () => Promise.reject(new Error('not called in this test')),
};

describe('createAnalyst', () => {
  it('uses the rules analyst without an LLM and the llm analyst with one', () => {
    expect(createAnalyst().name).toBe('rules');
    expect(createAnalyst({ model: unusedModel }).name).toBe('llm');
    expect(createAnalyst({ model: unusedModel, kind: 'rules' }).name).toBe('rules');
  });

  it('refuses the llm analyst without a model, saying what to do', () => {
    expect(() => createAnalyst({ kind: 'llm' })).toThrow(expect.objectContaining({ code: 'LLM_NOT_CONFIGURED' }));
  });
});
