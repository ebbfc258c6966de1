// Adapts an AI SDK provider model (LanguageModelV3) to our LanguageModel contract, streaming or not.
import type { LanguageModel as AiSdkLanguageModel } from 'ai';
import type { GenerateRequest, GenerateResponse, LanguageModel } from './language-model.js';
import { type LlmCallError, toLlmCallError } from './llm-call-error.js';
import { secretValues } from './redact-secrets.js';

/** The AI SDK's provider-level model (specification v3), as returned by `createOpenAI().chat(id)` etc. */
export type ProviderModel = Extract<AiSdkLanguageModel, { specificationVersion: 'v3' }>;
type CallOptions = Parameters<ProviderModel['doGenerate']>[0];
type FinishReason = GenerateResponse['finishReason'];

export interface AiSdkAdapterOptions {
  /** Our provider name (`openai`, `anthropic`, …), recorded in accounting. */
  provider: string;
  /** Ask the server for JSON-schema output; turned off by itself when the server refuses `response_format`. */
  jsonSchema: boolean;
  /** Use server-sent events instead of one JSON reply. */
  stream?: boolean;
  /** Values to redact from error messages (the API key), on top of credential-looking environment variables. */
  secrets?: readonly string[];
  /** Provider-specific options for a JSON-schema request (e.g. strict mode off). */
  jsonProviderOptions?: (schema: Record<string, unknown>) => CallOptions['providerOptions'];
}

/** Wraps `providerModel` so it speaks language-model-v1. */
export function fromAiSdkModel(providerModel: ProviderModel, options: AiSdkAdapterOptions): LanguageModel {
  let jsonSchemaRefused = false;
  const secrets = [...(options.secrets ?? []), ...secretValues()];
  const model: LanguageModel = {
    specificationVersion: 'language-model-v1',
    provider: options.provider,
    modelId: providerModel.modelId,
    get supportsJsonSchema() {
      return options.jsonSchema && !jsonSchemaRefused;
    },
    async generate(request) {
      const started = performance.now();
      const useSchema = request.jsonSchema !== undefined && model.supportsJsonSchema;
      try {
        return await call(providerModel, toCallOptions(request, useSchema, options), options.stream ?? false, started);
      } catch (error) {
        const failure = toLlmCallError(error, request.signal, secrets);
        if (!useSchema || !refusesJsonSchema(failure)) throw failure;
        // The server does not take `response_format: json_schema`: fall back to instructions in the prompt.
        jsonSchemaRefused = true;
        return await call(
          providerModel,
          toCallOptions(request, false, options),
          options.stream ?? false,
          started,
        ).catch((second: unknown) => {
          throw toLlmCallError(second, request.signal, secrets);
        });
      }
    },
  };
  return model;
}

async function call(
  providerModel: ProviderModel,
  callOptions: CallOptions,
  stream: boolean,
  started: number,
): Promise<GenerateResponse> {
  if (!stream) {
    const result = await providerModel.doGenerate(callOptions);
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    return {
      text,
      finishReason: toFinishReason(result.finishReason.unified),
      usage: toUsage(result.usage),
      latencyMs: Math.round(performance.now() - started),
    };
  }
  const result = await providerModel.doStream(callOptions);
  let text = '';
  let finishReason: FinishReason = 'other';
  let usage = { inputTokens: 0, outputTokens: 0 };
  const reader = result.stream.getReader();
  for (;;) {
    const { done, value: part } = await reader.read();
    if (done) break;
    if (part.type === 'text-delta') text += part.delta;
    else if (part.type === 'error') throw part.error;
    else if (part.type === 'finish') {
      finishReason = toFinishReason(part.finishReason.unified);
      usage = toUsage(part.usage);
    }
  }
  return { text, finishReason, usage, latencyMs: Math.round(performance.now() - started) };
}

function toCallOptions(request: GenerateRequest, useSchema: boolean, options: AiSdkAdapterOptions): CallOptions {
  const prompt: CallOptions['prompt'] = [];
  const system = useSchema || request.jsonSchema === undefined ? request.system : withSchemaInstructions(request);
  if (system !== undefined && system !== '') prompt.push({ role: 'system', content: system });
  for (const message of request.messages) {
    prompt.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
  }
  const schema = request.jsonSchema;
  return {
    prompt,
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.signal === undefined ? {} : { abortSignal: request.signal }),
    ...(useSchema && schema !== undefined
      ? {
          responseFormat: { type: 'json', schema: schema.schema, name: schema.name },
          providerOptions: options.jsonProviderOptions?.(schema.schema),
        }
      : {}),
  };
}

/** When the JSON-schema mode is unavailable, the schema goes into the system prompt instead. */
function withSchemaInstructions(request: GenerateRequest): string {
  const instructions = `Reply with exactly one JSON object matching this JSON Schema:\n${JSON.stringify(request.jsonSchema?.schema)}`;
  return request.system ? `${request.system}\n\n${instructions}` : instructions;
}

/** A 400/422 that names the structured-output feature: the server lacks JSON-schema support. */
function refusesJsonSchema(error: LlmCallError): boolean {
  return (
    error.kind === 'http' &&
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema|structured|grammar/i.test(error.message)
  );
}

function toFinishReason(unified: string): FinishReason {
  if (unified === 'stop' || unified === 'length' || unified === 'content-filter' || unified === 'error') return unified;
  return 'other';
}

function toUsage(usage: {
  inputTokens: { total: number | undefined };
  outputTokens: { total: number | undefined };
}): GenerateResponse['usage'] {
  return { inputTokens: usage.inputTokens.total ?? 0, outputTokens: usage.outputTokens.total ?? 0 };
}
