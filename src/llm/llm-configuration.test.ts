import { describe, expect, test } from 'vitest';
import { describeLlmConfiguration, resolveDefaultLlm } from './llm-configuration.js';

describe('resolveDefaultLlm', () => {
  test('BILEVEL_LLM first, then keys (Anthropic, OpenAI, DeepSeek), then an OpenAI-compatible server', async () => {
    expect(await resolveDefaultLlm({ BILEVEL_LLM: 'openai:gpt-4o', ANTHROPIC_API_KEY: 'k' })).toBe('openai:gpt-4o');
    expect(await resolveDefaultLlm({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' })).toBe('anthropic:claude-haiku-4-5');
    expect(await resolveDefaultLlm({ OPENAI_API_KEY: 'k' })).toBe('openai:gpt-4.1-mini');
    expect(await resolveDefaultLlm({ DEEPSEEK_API_KEY: 'k' })).toBe('deepseek:deepseek-chat');
    expect(
      await resolveDefaultLlm({
        OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_COMPATIBLE_MODEL: 'qwen',
      }),
    ).toBe('openai-compatible:qwen');
    expect(await resolveDefaultLlm({ OPENAI_API_KEY: '  ' })).not.toBe('openai:gpt-4.1-mini');
  });
});

describe('describeLlmConfiguration', () => {
  test('lists every way to configure an LLM and how to run without one', () => {
    const text = describeLlmConfiguration();
    for (const expected of [
      '--llm PROVIDER:MODEL',
      'BILEVEL_LLM',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'DEEPSEEK_API_KEY',
      'openai-compatible:MODEL',
      '--llm-base-url',
      'OPENAI_COMPATIBLE_BASE_URL',
      'local:PATH.gguf',
      'bilevel model pull',
      'replay:',
      '--record',
      '--proposer random',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
