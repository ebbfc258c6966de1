// What train.ts may use from tinygpt's protected harness: the budget, the seed, the training bytes, and evaluation.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCorpus } from './corpus.js';
import { type ByteModel, evaluateBitsPerByte, evaluationSegments } from './evaluate.js';

export type { ByteModel } from './evaluate.js';

/** Harness → train.ts messages (over the IPC channel that prepare.ts opens). */
export type HarnessMessage =
  | { type: 'logits'; id: number; tokens: Uint8Array; windows: number; length: number }
  | { type: 'result'; bitsPerByte: number };

/** train.ts → harness messages. */
export type TrainerMessage =
  | { type: 'ready'; contextLength: number }
  | { type: 'logits'; id: number; logits: Float32Array }
  | { type: 'error'; message: string };

/** Training seconds: BILEVEL_BUDGET_SECONDS when set, else the task's `budgetSeconds`. */
export function budgetSeconds(): number {
  const fromEnvironment = process.env.BILEVEL_BUDGET_SECONDS;
  const value = fromEnvironment
    ? Number(fromEnvironment)
    : (JSON.parse(readFileSync(new URL('./task.json', import.meta.url), 'utf8')) as { budgetSeconds: number })
        .budgetSeconds;
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`budget must be a positive number of seconds: ${value}`);
  return value;
}

/** BILEVEL_SEED as an integer, or `fallback` when it is not set. */
export function runSeed(fallback: number): number {
  const value = process.env.BILEVEL_SEED;
  if (value === undefined || value === '') return fallback;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`BILEVEL_SEED must be an integer: ${value}`);
  return seed;
}

/** The training split: stripped Brown corpus bytes (read from the cache that prepare.ts filled). */
export function loadTrainingBytes(): Uint8Array {
  return loadCorpus().train;
}

/** True when the module at `moduleUrl` is the script Node was asked to run. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === moduleUrl;
}

/**
 * Validation bits per byte of `model`. Under prepare.ts the harness computes it in its own process from
 * the logits it asks for (this process only answers); run alone, it is computed here, for development.
 */
export async function evaluateBpb(model: ByteModel): Promise<number> {
  const send = process.send?.bind(process);
  if (!send) {
    const segments = evaluationSegments(loadCorpus().validation);
    return (await evaluateBitsPerByte(model, segments)).bitsPerByte;
  }
  return await new Promise<number>((resolvePromise, reject) => {
    const onMessage = async (message: HarnessMessage): Promise<void> => {
      if (message.type === 'result') {
        process.off('message', onMessage);
        process.disconnect?.();
        resolvePromise(message.bitsPerByte);
        return;
      }
      try {
        const logits = await model.logits(message.tokens, message.windows, message.length);
        send({ type: 'logits', id: message.id, logits } satisfies TrainerMessage);
      } catch (error) {
        send({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        } satisfies TrainerMessage);
        process.off('message', onMessage);
        reject(error);
      }
    };
    process.on('message', onMessage);
    send({ type: 'ready', contextLength: model.contextLength } satisfies TrainerMessage);
  });
}
