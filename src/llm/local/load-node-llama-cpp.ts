// Loads the optional `node-llama-cpp` package at run time, from bilevel, the current project, or BILEVEL_OPTIONAL_DEPS_DIR.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BilevelError } from '../../core/errors.js';

/** The tested version; other 3.x releases probably work but are not tested. */
export const nodeLlamaCppVersion = '3.21.1';

/** The hint shown whenever the package cannot be found. */
export const nodeLlamaCppInstallHint =
  `install it in the project that uses bilevel with \`npm install node-llama-cpp@${nodeLlamaCppVersion}\` ` +
  '(optional, ~730 MB with every platform\u2019s binaries), or set BILEVEL_OPTIONAL_DEPS_DIR to a folder where it is installed';

/** Token ids are plain numbers in node-llama-cpp (a branded type there). */
export type LlamaToken = number;

/** The subset of node-llama-cpp's API that bilevel uses; structural so the package stays optional at type-check time. */
export interface NodeLlamaCpp {
  getLlama(options: {
    gpu?: false | 'auto';
    build?: 'never';
    logLevel?: 'disabled' | 'fatal' | 'error' | 'warn' | 'info' | 'log' | 'debug';
    progressLogs?: boolean;
    skipDownload?: boolean;
  }): Promise<Llama>;
  LlamaChat: new (options: { contextSequence: LlamaContextSequence }) => LlamaChat;
  TokenBias: new (tokenizer: LlamaModel['tokenizer']) => TokenBias;
}

export interface Llama {
  loadModel(options: { modelPath: string }): Promise<LlamaModel>;
  createGrammarForJsonSchema(schema: Record<string, unknown>): Promise<LlamaGrammar>;
  dispose(): Promise<void>;
}

export interface LlamaModel {
  readonly tokenizer: unknown;
  readonly trainContextSize: number;
  createContext(options: { contextSize?: number; threads?: number; sequences?: number }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface LlamaContext {
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}

export interface LlamaContextSequence {
  readonly contextTokens: readonly LlamaToken[];
}

export type LlamaGrammar = object;

export interface TokenBias {
  set(input: LlamaToken, bias: number | 'never'): TokenBias;
}

export type ChatHistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: string[] };

export interface LlamaChat {
  generateResponse(
    history: ChatHistoryItem[],
    options: {
      grammar?: LlamaGrammar;
      maxTokens?: number;
      temperature?: number;
      seed?: number;
      tokenBias?: TokenBias;
      signal?: AbortSignal;
      onToken?: (tokens: LlamaToken[]) => void;
    },
  ): Promise<{ response: string; metadata: { stopReason: string } }>;
  dispose(): void;
}

let loading: Promise<NodeLlamaCpp> | undefined;

/** Where to look for the package, in order: next to bilevel, the current project, BILEVEL_OPTIONAL_DEPS_DIR. */
function searchBases(): string[] {
  const bases = [import.meta.url, join(process.cwd(), 'package.json')];
  const extra = process.env.BILEVEL_OPTIONAL_DEPS_DIR;
  if (extra) bases.push(join(extra, 'package.json'));
  return bases;
}

function isModuleNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
}

/** The resolved entry file of node-llama-cpp, or undefined when no search base has it. */
export function resolveNodeLlamaCpp(bases: readonly string[] = searchBases()): string | undefined {
  for (const base of bases) {
    try {
      return createRequire(base).resolve('node-llama-cpp');
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
    }
  }
  return undefined;
}

/** True when node-llama-cpp can be resolved (it is not loaded). */
export function isNodeLlamaCppAvailable(): boolean {
  return resolveNodeLlamaCpp() !== undefined;
}

/** Imports node-llama-cpp found from `bases` (file paths or URLs to resolve from), without caching. */
export async function importNodeLlamaCpp(bases: readonly string[] = searchBases()): Promise<NodeLlamaCpp> {
  const resolved = resolveNodeLlamaCpp(bases);
  if (resolved === undefined) {
    throw new BilevelError('LLM_LOCAL_UNAVAILABLE', 'local models need the optional package node-llama-cpp', {
      hint: nodeLlamaCppInstallHint,
    });
  }
  try {
    return (await import(pathToFileURL(resolved).href)) as NodeLlamaCpp;
  } catch (error) {
    throw new BilevelError('LLM_LOCAL_UNAVAILABLE', `node-llama-cpp was found at ${resolved} but failed to load`, {
      hint: `reinstall it with \`npm install node-llama-cpp@${nodeLlamaCppVersion}\``,
      cause: error,
    });
  }
}

/** Imports node-llama-cpp once per process; throws LLM_LOCAL_UNAVAILABLE with an install hint when it is missing. */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= importNodeLlamaCpp();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
