// Loads each .gguf once per process and hands out one serialized chat context per (path, context size, threads).
import { open } from 'node:fs/promises';
import { BilevelError } from '../../core/errors.js';
import {
  type Llama,
  type LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  loadNodeLlamaCpp,
  type NodeLlamaCpp,
} from './load-node-llama-cpp.js';

/** A loaded model with one context whose sequence is used by one call at a time. */
export interface LocalContextSlot {
  readonly runtime: NodeLlamaCpp;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  readonly chat: LlamaChat;
  /** Runs `work` after every earlier call on this slot has settled (a sequence serves one call at a time). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface ContextRequest {
  /** Absolute path of the .gguf file. */
  path: string;
  /** CPU threads for evaluation. */
  threads: number;
  /** Context window in tokens; undefined picks min(training context, 8192). */
  contextSize: number | undefined;
}

/** Default upper bound on the context window, in tokens (the KV cache grows with it). */
export const defaultMaxContextSize = 8192;

let llamaLoading: Promise<{ runtime: NodeLlamaCpp; llama: Llama }> | undefined;
const models = new Map<string, Promise<LlamaModel>>();
const slots = new Map<string, Promise<LocalContextSlot>>();

function getLlama(): Promise<{ runtime: NodeLlamaCpp; llama: Llama }> {
  llamaLoading ??= (async () => {
    const runtime = await loadNodeLlamaCpp();
    // Never a source build: the prebuilt binary must work as installed. BILEVEL_LOCAL_GPU=off forces the CPU.
    const gpu = /^(off|false|0|no)$/i.test(process.env.BILEVEL_LOCAL_GPU ?? '') ? false : 'auto';
    const llama = await runtime.getLlama({ gpu, build: 'never', skipDownload: true, progressLogs: false });
    return { runtime, llama };
  })();
  llamaLoading.catch(() => {
    llamaLoading = undefined;
  });
  return llamaLoading;
}

/** Throws LLM_MODEL_FILE_INVALID unless `path` is a readable file that starts with the GGUF magic. */
export async function checkGgufFile(path: string): Promise<void> {
  const hint = 'check the path after `local:`, or run `bilevel model pull` to download the default model';
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : String(code);
    throw new BilevelError('LLM_MODEL_FILE_INVALID', `cannot open local model ${path}: ${reason}`, {
      hint,
      cause: error,
    });
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || magic.toString('latin1') !== 'GGUF') {
      throw new BilevelError('LLM_MODEL_FILE_INVALID', `${path} is not a GGUF model file`, { hint });
    }
  } finally {
    await handle.close();
  }
}

function loadModel(llama: Llama, path: string): Promise<LlamaModel> {
  let loading = models.get(path);
  if (loading === undefined) {
    loading = (async () => {
      await checkGgufFile(path);
      try {
        return await llama.loadModel({ modelPath: path });
      } catch (error) {
        throw new BilevelError('LLM_MODEL_FILE_INVALID', `cannot load local model ${path}: ${String(error)}`, {
          hint: 'the file may be truncated or use an architecture this node-llama-cpp build does not know',
          cause: error,
        });
      }
    })();
    models.set(path, loading);
    loading.catch(() => models.delete(path));
  }
  return loading;
}

/** The shared slot for this model and settings, loading the runtime, the model and the context on first use. */
export function acquireLocalContext(request: ContextRequest): Promise<LocalContextSlot> {
  const key = `${request.path}\u0000${request.contextSize ?? 'default'}\u0000${request.threads}`;
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = (async () => {
      const { runtime, llama } = await getLlama();
      const model = await loadModel(llama, request.path);
      const contextSize = request.contextSize ?? Math.min(model.trainContextSize, defaultMaxContextSize);
      const context = await model.createContext({ contextSize, threads: request.threads, sequences: 1 });
      const sequence = context.getSequence();
      const chat = new runtime.LlamaChat({ contextSequence: sequence });
      let queue: Promise<unknown> = Promise.resolve();
      const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
        const result = queue.then(work, work);
        queue = result.catch(() => undefined);
        return result;
      };
      return { runtime, llama, model, context, sequence, chat, exclusive };
    })();
    slots.set(key, slot);
    slot.catch(() => slots.delete(key));
  }
  return slot;
}

/** Frees every loaded context, model and the runtime (tests call it in afterAll; the CLI may at exit). */
export async function disposeLocalModels(): Promise<void> {
  const pendingSlots = [...slots.values()];
  const pendingModels = [...models.values()];
  const pendingLlama = llamaLoading;
  slots.clear();
  models.clear();
  llamaLoading = undefined;
  for (const slot of await Promise.allSettled(pendingSlots)) {
    if (slot.status === 'fulfilled') {
      slot.value.chat.dispose();
      await slot.value.context.dispose();
    }
  }
  for (const model of await Promise.allSettled(pendingModels)) {
    if (model.status === 'fulfilled') await model.value.dispose();
  }
  const llama = await pendingLlama?.catch(() => undefined);
  await llama?.llama.dispose();
}
