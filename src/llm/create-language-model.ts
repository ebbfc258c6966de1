// The model factory: `provider:model` ids → a LanguageModel with timeout, retries, reply and refusal checks around it.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { BilevelError } from '../core/errors.js';
import { fromAiSdkModel, type ProviderModel } from './ai-sdk-language-model.js';
import type { LanguageModel } from './language-model.js';
import { describeLlmConfiguration, llmProviders, requireLlmId, resolveDefaultLlm } from './llm-configuration.js';
import { secretValues } from './redact-secrets.js';
import { createReplayModel } from './replay-model.js';
import { isStrictJsonSchema } from './strict-json-schema.js';
import { withRecording } from './with-recording.js';
import { withRefusalCheck } from './with-refusal-check.js';
import { withReplyCheck } from './with-reply-check.js';
import { type RetryOptions, withRetry } from './with-retry.js';
import { withTimeout } from './with-timeout.js';

export { describeLlmConfiguration, llmProviders, requireLlmId, resolveDefaultLlm };

export interface CreateLanguageModelOptions {
  /** Server URL for `openai-compatible:` (e.g. http://127.0.0.1:11434/v1); overrides the default for the others. */
  baseUrl?: string;
  /** Where API keys and base URLs are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Per-call limit, in milliseconds. Default 120000 (local models: 600000). */
  timeoutMs?: number;
  /** Retries after a retryable failure (429, 5xx, network, timeout, empty reply). Default 3. */
  maxRetries?: number;
  /** Backoff and retry logging; `maxRetries` above wins. */
  retry?: Omit<RetryOptions, 'maxRetries'>;
  /** HTTP client (tests, proxies). Default the global fetch. */
  fetch?: typeof fetch;
  /** Record every exchange into this cassette file (JSON lines). */
  record?: string;
  /** Use streaming (server-sent events) for HTTP providers. Default false. */
  stream?: boolean;
  /** false: never send `response_format: json_schema` (servers without it); the schema goes into the prompt. */
  jsonSchema?: boolean;
}

const defaultTimeoutMs = 120_000;
const localTimeoutMs = 600_000;

/**
 * Builds the model named by `id` (`openai:gpt-4.1-mini`, `anthropic:…`, `deepseek:…`, `openai-compatible:MODEL`,
 * `local:PATH.gguf`, `replay:CASSETTE`). Fails before any call with LLM_PROVIDER_UNKNOWN (lists providers),
 * LLM_KEY_MISSING (names the variable to set) or CONFIG (a missing base URL).
 */
export async function createLanguageModel(
  id: string,
  options: CreateLanguageModelOptions = {},
): Promise<LanguageModel> {
  const separator = id.indexOf(':');
  const provider = separator === -1 ? id : id.slice(0, separator);
  const modelId = separator === -1 ? '' : id.slice(separator + 1);
  if (!llmProviders.some((known) => known.name === provider)) {
    throw new BilevelError('LLM_PROVIDER_UNKNOWN', `unknown LLM provider "${provider}" in --llm ${id}`, {
      hint: `Use one of: ${llmProviders.map((known) => `${known.name}:${known.model}`).join(', ')}.`,
    });
  }
  if (modelId === '') {
    const example = llmProviders.find((known) => known.name === provider)?.model ?? 'MODEL';
    throw new BilevelError('USAGE', `--llm ${id} names no model`, { hint: `Write it as ${provider}:${example}.` });
  }
  const env = options.env ?? process.env;
  const retry = { ...options.retry, ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }) };
  // A replay retries like the recording did (an empty reply was recorded, then its retry), without waiting.
  if (provider === 'replay')
    return withRefusalCheck(withRetry(withReplyCheck(createReplayModel(modelId)), { ...retry, initialDelayMs: 0 }));
  let base: LanguageModel;
  if (provider === 'local') base = await createLocal(modelId);
  else
    base = fromAiSdkModel(httpProviderModel(provider, modelId, options, env), adapterOptions(provider, options, env));
  const recorded = options.record === undefined ? base : withRecording(base, options.record, { env });
  const timeoutMs = options.timeoutMs ?? (provider === 'local' ? localTimeoutMs : defaultTimeoutMs);
  return withRefusalCheck(withRetry(withTimeout(withReplyCheck(recorded), timeoutMs), retry));
}

function httpProviderModel(
  provider: string,
  modelId: string,
  options: CreateLanguageModelOptions,
  env: NodeJS.ProcessEnv,
): ProviderModel {
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  switch (provider) {
    case 'openai': {
      const baseURL = options.baseUrl ?? env.OPENAI_BASE_URL;
      return createOpenAI({
        apiKey: requireKey(env, 'OPENAI_API_KEY', provider),
        ...optional({ baseURL }),
        ...fetchOption,
      }).chat(modelId);
    }
    case 'anthropic': {
      const baseURL = options.baseUrl ?? env.ANTHROPIC_BASE_URL;
      return createAnthropic({
        apiKey: requireKey(env, 'ANTHROPIC_API_KEY', provider),
        ...optional({ baseURL }),
        ...fetchOption,
      })(modelId);
    }
    case 'deepseek':
      return createOpenAICompatible({
        name: 'deepseek',
        baseURL: options.baseUrl ?? env.DEEPSEEK_BASE_URL ?? 'https://api.deepseek.com/v1',
        apiKey: requireKey(env, 'DEEPSEEK_API_KEY', provider),
        includeUsage: true,
        supportsStructuredOutputs: false,
        ...fetchOption,
      }).chatModel(modelId);
    default: {
      const baseURL = options.baseUrl ?? env.OPENAI_COMPATIBLE_BASE_URL;
      if (baseURL === undefined || baseURL === '') {
        throw new BilevelError('CONFIG', `openai-compatible:${modelId} needs the server's URL`, {
          hint: 'Pass --llm-base-url (Ollama: http://127.0.0.1:11434/v1, llama.cpp server: http://127.0.0.1:8080/v1) or set OPENAI_COMPATIBLE_BASE_URL.',
        });
      }
      const apiKey = env.OPENAI_COMPATIBLE_API_KEY;
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL,
        ...optional({ apiKey }),
        includeUsage: true,
        supportsStructuredOutputs: options.jsonSchema ?? true,
        ...fetchOption,
      }).chatModel(modelId);
    }
  }
}

function adapterOptions(provider: string, options: CreateLanguageModelOptions, env: NodeJS.ProcessEnv) {
  const strict = (schema: Record<string, unknown>) => ({ strictJsonSchema: isStrictJsonSchema(schema) });
  return {
    provider,
    secrets: secretValues(env),
    // DeepSeek's API has JSON mode but no JSON-schema mode: the schema goes into the prompt and is validated.
    jsonSchema: provider === 'deepseek' ? false : (options.jsonSchema ?? true),
    stream: options.stream ?? false,
    jsonProviderOptions:
      provider === 'openai'
        ? (schema: Record<string, unknown>) => ({ openai: strict(schema) })
        : provider === 'openai-compatible'
          ? (schema: Record<string, unknown>) => ({ openaiCompatible: strict(schema) })
          : undefined,
  };
}

function requireKey(env: NodeJS.ProcessEnv, name: string, provider: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new BilevelError('LLM_KEY_MISSING', `the ${provider} provider needs an API key and ${name} is not set`, {
      hint: `Set ${name} in your environment (export ${name}=...), or pick another model with --llm.`,
    });
  }
  return value;
}

async function createLocal(path: string): Promise<LanguageModel> {
  let module: { createLocalModel: (path: string) => Promise<LanguageModel> };
  try {
    module = await import('./local/create-local-model.js');
  } catch (error) {
    throw new BilevelError('LLM_LOCAL_UNAVAILABLE', `local models are not available in this build (${String(error)})`, {
      hint: 'Use a hosted model with --llm, or run without one: --proposer random.',
      cause: error,
    });
  }
  return module.createLocalModel(path);
}

/** Drops undefined values so optional settings are left out rather than set to undefined. */
function optional<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as {
    [K in keyof T]?: string;
  };
}
