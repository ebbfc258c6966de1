// The `local` provider: a .gguf model run in-process through node-llama-cpp, with JSON-schema output enforced by a grammar.
import { resolve } from 'node:path';
import { BilevelError } from '../../core/errors.js';
import type { GenerateRequest, GenerateResponse, LanguageModel } from '../language-model.js';
import { toLlmCallError } from '../llm-call-error.js';
import { grammarSchema } from './grammar-schema.js';
import type { ChatHistoryItem, LlamaGrammar, TokenBias } from './load-node-llama-cpp.js';
import { acquireLocalContext, checkGgufFile, type LocalContextSlot } from './local-model-pool.js';

export interface LocalModelOptions {
  /**
   * CPU threads for evaluation. Default 1, or BILEVEL_LOCAL_THREADS. More threads than free cores slows
   * llama.cpp down sharply (on a busy 2-core machine 4 threads ran ~500× slower than 1).
   */
  threads?: number;
  /** Context window, in tokens. Default: the model's training context, at most 8192. */
  contextSize?: number;
  /** Logit bias by token id: a number raises (> 0) or lowers (< 0) a token's odds; `never` bans it unless the grammar needs it. */
  tokenBias?: ReadonlyMap<number, number | 'never'>;
  /** Aborts loading the model. */
  signal?: AbortSignal;
}

/** Reply length used when the request sets no maxOutputTokens, in tokens. */
const defaultMaxOutputTokens = 1024;

function threadsFrom(options: LocalModelOptions): number {
  if (options.threads !== undefined) return options.threads;
  const fromEnvironment = Number(process.env.BILEVEL_LOCAL_THREADS);
  return Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : 1;
}

/**
 * Loads `path` (a .gguf file; cached per process) and returns it as a language-model-v1 provider.
 * Throws LLM_LOCAL_UNAVAILABLE when node-llama-cpp is not installed, LLM_MODEL_FILE_INVALID for a bad file.
 */
export async function createLocalModel(path: string, options: LocalModelOptions = {}): Promise<LanguageModel> {
  const absolutePath = resolve(path);
  const threads = threadsFrom(options);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BilevelError('CONFIG', `local model threads must be a positive integer, got ${threads}`, {
      hint: 'set BILEVEL_LOCAL_THREADS to 1 or more (1 is best on a small machine)',
    });
  }
  await checkGgufFile(absolutePath);
  options.signal?.throwIfAborted();
  const slot = await acquireLocalContext({ path: absolutePath, threads, contextSize: options.contextSize });
  options.signal?.throwIfAborted();
  const tokenBias = options.tokenBias === undefined ? undefined : buildTokenBias(slot, options.tokenBias);
  const grammars = new Map<string, Promise<LlamaGrammar>>();

  const grammarFor = (schema: Record<string, unknown>): Promise<LlamaGrammar> => {
    const key = JSON.stringify(schema);
    let grammar = grammars.get(key);
    if (grammar === undefined) {
      grammar = slot.llama.createGrammarForJsonSchema(
        withoutMetaKeys(grammarSchema(schema) as Record<string, unknown>),
      );
      grammars.set(key, grammar);
      grammar.catch(() => grammars.delete(key));
    }
    return grammar;
  };

  return {
    specificationVersion: 'language-model-v1',
    provider: 'local',
    modelId: absolutePath,
    supportsJsonSchema: true,
    generate: (request) =>
      slot.exclusive(async () => {
        const started = performance.now();
        try {
          request.signal?.throwIfAborted();
          const grammar = request.jsonSchema === undefined ? undefined : await grammarFor(request.jsonSchema.schema);
          return await generateOnSlot(slot, request, grammar, tokenBias, started);
        } catch (error) {
          if (error instanceof BilevelError) throw error;
          throw toLlmCallError(error, request.signal);
        }
      }),
  };
}

async function generateOnSlot(
  slot: LocalContextSlot,
  request: GenerateRequest,
  grammar: LlamaGrammar | undefined,
  tokenBias: TokenBias | undefined,
  started: number,
): Promise<GenerateResponse> {
  let outputTokens = 0;
  const result = await slot.chat.generateResponse(toHistory(request), {
    ...(grammar === undefined ? {} : { grammar }),
    ...(tokenBias === undefined ? {} : { tokenBias }),
    maxTokens: request.maxOutputTokens ?? defaultMaxOutputTokens,
    // node-llama-cpp's 0 is greedy decoding, which matches the contract's "most deterministic".
    temperature: request.temperature ?? 0,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    onToken: (tokens) => {
      outputTokens += tokens.length;
    },
  });
  const stopReason = result.metadata.stopReason;
  return {
    text: result.response,
    finishReason:
      stopReason === 'maxTokens'
        ? 'length'
        : stopReason === 'eogToken' || stopReason === 'stopGenerationTrigger'
          ? 'stop'
          : 'other',
    // The sequence holds the whole prompt plus the reply; a reused prefix is still counted as input.
    usage: { inputTokens: Math.max(0, slot.sequence.contextTokens.length - outputTokens), outputTokens },
    latencyMs: Math.round(performance.now() - started),
  };
}

/** System prompt (plus the schema, which helps a small model fill fields sensibly), then the messages. */
function toHistory(request: GenerateRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const schemaNote =
    request.jsonSchema === undefined
      ? undefined
      : `Reply with one JSON object that matches this JSON Schema:\n${JSON.stringify(request.jsonSchema.schema)}`;
  const system = [request.system, schemaNote].filter((part) => part !== undefined && part !== '').join('\n\n');
  if (system !== '') history.push({ type: 'system', text: system });
  for (const message of request.messages) {
    history.push(
      message.role === 'user'
        ? { type: 'user', text: message.content }
        : { type: 'model', response: [message.content] },
    );
  }
  // A trailing assistant message is continued; otherwise the model answers the last user message.
  if (request.messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  return history;
}

/** JSON Schema bookkeeping keys that grammar generation does not need. */
function withoutMetaKeys(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, title: _title, ...rest } = schema;
  return rest;
}

function buildTokenBias(slot: LocalContextSlot, biases: ReadonlyMap<number, number | 'never'>): TokenBias {
  const tokenBias = new slot.runtime.TokenBias(slot.model.tokenizer);
  for (const [token, bias] of biases) tokenBias.set(token, bias);
  return tokenBias;
}
