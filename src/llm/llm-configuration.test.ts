import { describe, expect, test } from 'vitest';
import type { BilevelError } from '../core/errors.js';
import { describeLlmConfiguration, requireLlmId, resolveDefaultLlm } from './llm-configuration.js';

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

describe('requireLlmId', () => {
  test('the flag wins, then the environment; with neither it is LLM_NOT_CONFIGURED (exit 2) listing the ways', async () => {
    expect(await requireLlmId('openai:gpt-4o', { ANTHROPIC_API_KEY: 'k' })).toBe('openai:gpt-4o');
    expect(await requireLlmId(undefined, { DEEPSEEK_API_KEY: 'k' })).toBe('deepseek:deepseek-chat');
    const outcome = await requireLlmId(undefined, {}).then(
      (id) => ({ id }),
      (error: BilevelError) => ({ error }),
    );
    // A local model cached by `bilevel model pull` on this machine would be a configuration; nothing else may be.
    if ('id' in outcome) {
      expect(outcome.id).toMatch(/^local:/);
      return;
    }
    const { error } = outcome;
    expect(error.code).toBe('LLM_NOT_CONFIGURED');
    expect(error.isUserError).toBe(true);
    expect(error.message).toContain('--proposer random');
    expect(error.hint).toContain('--proposer random');
  });
});
