// How an LLM gets configured: the provider list, the default picked from the environment, and the help text.
import { BilevelError } from '../core/errors.js';

export interface LlmProviderInfo {
  /** The id prefix, as in `openai:gpt-4.1-mini`. */
  name: string;
  /** An example model for the help text and the default when only the key is set. */
  model: string;
  /** The environment variable holding the key, if the provider needs one. */
  keyVariable?: string;
  /** One line for the help text. */
  description: string;
}

export const llmProviders: readonly LlmProviderInfo[] = [
  { name: 'openai', model: 'gpt-4.1-mini', keyVariable: 'OPENAI_API_KEY', description: 'OpenAI (chat completions)' },
  {
    name: 'anthropic',
    model: 'claude-haiku-4-5',
    keyVariable: 'ANTHROPIC_API_KEY',
    description: 'Anthropic (Messages API)',
  },
  { name: 'deepseek', model: 'deepseek-chat', keyVariable: 'DEEPSEEK_API_KEY', description: 'DeepSeek' },
  {
    name: 'openai-compatible',
    model: 'MODEL',
    description: 'any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio) with --llm-base-url URL',
  },
  { name: 'local', model: 'PATH.gguf', description: 'a GGUF model run in-process (needs node-llama-cpp)' },
  { name: 'replay', model: 'CASSETTE.jsonl', description: 'answers from a cassette recorded with --record FILE' },
];

/**
 * The model to use when `--llm` is not given: BILEVEL_LLM, else the first provider whose key is set
 * (Anthropic, OpenAI, DeepSeek), else an OpenAI-compatible server named by OPENAI_COMPATIBLE_BASE_URL and
 * OPENAI_COMPATIBLE_MODEL, else a cached local model (from `bilevel model pull`), else undefined.
 */
export async function resolveDefaultLlm(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const explicit = env.BILEVEL_LLM?.trim();
  if (explicit) return explicit;
  for (const name of ['anthropic', 'openai', 'deepseek']) {
    const info = llmProviders.find((provider) => provider.name === name);
    if (info?.keyVariable && env[info.keyVariable]?.trim()) return `${info.name}:${info.model}`;
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL?.trim() && env.OPENAI_COMPATIBLE_MODEL?.trim()) {
    return `openai-compatible:${env.OPENAI_COMPATIBLE_MODEL.trim()}`;
  }
  return await findCachedLocalModel();
}

/**
 * The model id to use: `explicit` (the --llm flag) if given, else `resolveDefaultLlm(env)`. With neither, throws
 * `LLM_NOT_CONFIGURED` (exit 2) whose message is `describeLlmConfiguration()`, pointing to `--proposer random`.
 */
export async function requireLlmId(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const id = explicit?.trim() || (await resolveDefaultLlm(env));
  if (id === undefined || id === '') {
    throw new BilevelError('LLM_NOT_CONFIGURED', describeLlmConfiguration(), {
      hint: 'Pass --llm PROVIDER:MODEL (or set a key as listed above), or run without an LLM: --proposer random.',
    });
  }
  return id;
}

/** The multi-line text shown when no LLM is configured: every way to configure one, and how to run without. */
export function describeLlmConfiguration(): string {
  return [
    'No LLM is configured. Configure one of these ways:',
    '  --llm PROVIDER:MODEL on the command line (or BILEVEL_LLM=PROVIDER:MODEL in the environment):',
    ...llmProviders.map(
      (provider) =>
        `    ${`${provider.name}:${provider.model}`.padEnd(32)} ${provider.description}` +
        (provider.keyVariable ? `; needs ${provider.keyVariable}` : ''),
    ),
    '  Set an API key and the default model of that provider is used:',
    '    ANTHROPIC_API_KEY → anthropic:claude-haiku-4-5, OPENAI_API_KEY → openai:gpt-4.1-mini,',
    '    DEEPSEEK_API_KEY → deepseek:deepseek-chat (checked in that order).',
    '  A local server: --llm openai-compatible:MODEL --llm-base-url http://127.0.0.1:11434/v1',
    '    (or OPENAI_COMPATIBLE_BASE_URL and OPENAI_COMPATIBLE_MODEL; OPENAI_COMPATIBLE_API_KEY if it wants one).',
    '  A local model file: --llm local:PATH.gguf, or `bilevel model pull` to download the default one.',
    '  A model for one role (propose, analyze, research, fix) instead of --llm: --llm-role ROLE=PROVIDER:MODEL (repeatable).',
    'Or run the loops without any LLM: --proposer random.',
  ].join('\n');
}

/** Asks the local-model cache for its default model; tolerates the cache module being absent. */
async function findCachedLocalModel(): Promise<string | undefined> {
  const modulePath = './local/model-cache.js';
  let module: { findCachedDefaultModel?: () => string | undefined };
  try {
    module = (await import(modulePath)) as typeof module;
  } catch (error) {
    if (isModuleNotFound(error)) return undefined;
    throw error;
  }
  const found = module.findCachedDefaultModel?.();
  return found === undefined ? undefined : found.startsWith('local:') ? found : `local:${found}`;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
