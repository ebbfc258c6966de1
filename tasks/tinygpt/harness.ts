// What train.ts may use from tinygpt's protected harness: the budget, the seed, the training bytes, saving and loading
// tensors in the output folder, and serving the trained model to the evaluator.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FrameReader, frameType, inheritedChannel, uint32s, writeFrame } from './channel.js';
import { loadTrainingSplit } from './corpus.js';
import type { ByteModel } from './evaluate.js';

export type { ByteModel } from './evaluate.js';

/** Training seconds: BILEVEL_BUDGET_SECONDS when set, else the task's `budgetSeconds`. The one budget rule. */
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

/** The training split: stripped Brown corpus bytes, as the prepare step wrote them. */
export function loadTrainingBytes(): Uint8Array {
  return loadTrainingSplit();
}

/** True when the module at `moduleUrl` is the script Node was asked to run. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === moduleUrl;
}

/** A file in the trial's output folder (BILEVEL_OUTPUT_DIR; the current folder when run by hand). */
export function outputPath(name: string): string {
  return join(process.env.BILEVEL_OUTPUT_DIR ?? '.', name);
}

/** Named Float32 tensors and a JSON description, in one file: [u32 header bytes][header JSON][data]. */
export function saveTensors(
  path: string,
  meta: unknown,
  tensors: readonly { name: string; data: Float32Array }[],
): void {
  const header = Buffer.from(
    JSON.stringify({ meta, tensors: tensors.map((tensor) => ({ name: tensor.name, length: tensor.data.length })) }),
  );
  const parts = [
    uint32s(header.length),
    header,
    ...tensors.map((tensor) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)),
  ];
  writeFileSync(path, Buffer.concat(parts));
}

/** What saveTensors wrote. */
export function loadTensors(path: string): { meta: unknown; tensors: Map<string, Float32Array> } {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as {
    meta: unknown;
    tensors: { name: string; length: number }[];
  };
  const tensors = new Map<string, Float32Array>();
  let offset = 4 + headerLength;
  for (const { name, length } of header.tensors) {
    if (offset + 4 * length > bytes.length) throw new Error(`${path} is cut short in tensor ${name}`);
    const data = new Float32Array(length);
    Buffer.from(data.buffer).set(bytes.subarray(offset, offset + 4 * length));
    tensors.set(name, data);
    offset += 4 * length;
  }
  return { meta: header.meta, tensors };
}

/**
 * Answers the evaluator's requests for logits (the server side of channel.ts) until it closes the channel. The
 * evaluator computes the bits per byte itself from these logits; this process never sees the validation split,
 * only the windows it is asked about.
 */
export async function serveModel(model: ByteModel): Promise<void> {
  const channel = inheritedChannel();
  if (!channel) throw new Error('no channel to serve on: the evaluator (score.ts) starts train.ts --serve');
  const reader = new FrameReader(channel.input);
  writeFrame(channel.output, frameType.hello, uint32s(model.contextLength));
  for (;;) {
    let frame: Buffer;
    try {
      frame = await reader.next(3600, 'waiting for the evaluator');
    } catch {
      break; // the evaluator is done and closed the channel
    }
    if (frame[0] !== frameType.request) throw new Error(`unexpected frame type ${frame[0]} from the evaluator`);
    const id = frame.readUInt32LE(1);
    const windows = frame.readUInt32LE(5);
    const length = frame.readUInt32LE(9);
    const tokens = new Uint8Array(frame.subarray(13));
    try {
      const logits = await model.logits(tokens, windows, length);
      writeFrame(channel.output, frameType.reply, uint32s(id), logits);
    } catch (error) {
      writeFrame(channel.output, frameType.error, Buffer.from(error instanceof Error ? error.message : String(error)));
    }
  }
  channel.output.end();
  channel.input.destroy();
}
