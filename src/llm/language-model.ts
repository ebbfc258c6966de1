// The language-model contract (language-model-v1): one small interface every provider adapter implements.

/** Who is calling: used for accounting and for routing a role to its own model. */
export type LlmRole = 'propose' | 'analyze' | 'research' | 'fix';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateRequest {
  role: LlmRole;
  system?: string;
  messages: LlmMessage[];
  /** When set, ask for JSON that matches this JSON Schema (through the provider's structured output if it has one). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** Upper bound on reply length, in tokens. */
  maxOutputTokens?: number;
  /** 0 for the most deterministic replies the provider offers. */
  temperature?: number;
  seed?: number;
  /** Aborts the call (Ctrl-C, run stopping). */
  signal?: AbortSignal;
}

export interface GenerateResponse {
  text: string;
  /** `length` means the reply was cut off at maxOutputTokens. */
  finishReason: 'stop' | 'length' | 'content-filter' | 'error' | 'other';
  usage: { inputTokens: number; outputTokens: number };
  /** Milliseconds from request to full reply. */
  latencyMs: number;
}

export interface LanguageModel {
  readonly specificationVersion: 'language-model-v1';
  /** `openai`, `anthropic`, `deepseek`, `openai-compatible`, `local`, `replay`. */
  readonly provider: string;
  /** The model name within the provider. */
  readonly modelId: string;
  /** True when the provider enforces `jsonSchema` itself (else the caller validates and retries). */
  readonly supportsJsonSchema: boolean;
  generate(request: GenerateRequest): Promise<GenerateResponse>;
}
