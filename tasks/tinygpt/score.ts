// tinygpt's evaluator (protected): val_bpb of the model training saved, computed here from the logits the served model
// (train.ts --serve, in a jail that cannot read the validation split) returns for the fixed slice; the one val_bpb line.
//
// The loop runs it after training exits 0, with the served model beside it (task.json "evaluate.serve"): the two talk
// over the channel of channel.ts. Run by hand (no channel), it starts train.ts --serve itself. Exit 0 with a metric,
// or exit 1 with a `harness: FAILED:` reason (a crash outcome).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FrameReader, frameType, inheritedChannel, uint32s, writeFrame } from './channel.js';
import { loadCorpus } from './corpus.js';
import {
  type ByteModel,
  checkCausality,
  evaluateBitsPerByte,
  evaluationSegments,
  referenceBitsPerByte,
} from './evaluate.js';

/** Seconds the served model has to start (load the weights, compile its kernels) and say hello. */
const STARTUP_SECONDS = 60;
/** Seconds allowed for the evaluation (16,384 bytes; the largest declared model needs about 15). */
const EVALUATION_SECONDS = 120;

const started = performance.now();
const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string): void => void process.stdout.write(`${line}\n`);
let server: ChildProcess | undefined;

function fail(reason: string): never {
  server?.kill('SIGKILL');
  say(`harness: FAILED: ${reason}`);
  process.exit(1);
}

/** The channel bilevel set up, or (run by hand) a train.ts --serve child of this process. */
function openChannel(): { input: Readable; output: Writable; close(): void } {
  const inherited = inheritedChannel();
  if (inherited) {
    return {
      ...inherited,
      close: () => {
        inherited.output.end();
        inherited.input.destroy();
      },
    };
  }
  server = spawn(process.execPath, [...process.execArgv, 'train.ts', '--serve'], {
    cwd: here,
    env: { ...process.env, BILEVEL_CHANNEL_FDS: '3,4' },
    stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'],
  });
  const input = server.stdio[4] as Readable;
  const output = server.stdio[3] as Writable;
  return { input, output, close: () => output.end() };
}

const corpus = loadCorpus();
const segments = evaluationSegments(corpus.validation);
const reference = referenceBitsPerByte(corpus.train, segments);
say(
  `harness: evaluating the saved model on ${segments.length} validation segments (${segments[0]!.length} bytes each)`,
);

const channel = openChannel();
const reader = new FrameReader(channel.input);
let hello: Buffer;
try {
  hello = await reader.next(STARTUP_SECONDS, 'the served model starting');
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)} (did train.ts --serve load its model?)`);
}
if (hello[0] !== frameType.hello) fail(`the served model opened with frame type ${hello[0]}`);
const contextLength = hello.readUInt32LE(1);

let nextId = 0;
const remote: ByteModel = {
  contextLength,
  async logits(tokens, windows, length) {
    const id = nextId++;
    writeFrame(channel.output, frameType.request, uint32s(id, windows, length), tokens);
    const reply = await reader.next(EVALUATION_SECONDS, 'evaluation');
    if (reply[0] === frameType.error)
      throw new Error(`train.ts failed during evaluation: ${reply.subarray(1).toString('utf8')}`);
    if (reply[0] !== frameType.reply || reply.readUInt32LE(1) !== id) throw new Error(`train.ts answered out of turn`);
    const bytes = reply.subarray(5);
    const logits = new Float32Array(bytes.length / 4);
    Buffer.from(logits.buffer).set(bytes.subarray(0, logits.length * 4));
    return logits;
  },
};

const evaluationStarted = performance.now();
const deadline = setTimeout(
  () => fail(`evaluation took longer than ${EVALUATION_SECONDS} s`),
  EVALUATION_SECONDS * 1000,
);
let result: { bitsPerByte: number; bytes: number };
let causal: string;
try {
  result = await evaluateBitsPerByte(remote, segments);
  if (Number.isFinite(result.bitsPerByte)) {
    const causality = await checkCausality(remote, segments[0]!, randomInt(1_000_000) / 1_000_000);
    if (!causality.passed) {
      fail(
        `the model reads ahead: logits before position ${causality.cut} changed by ${causality.difference.toExponential(2)} ` +
          'when only later bytes changed (attention must be causal)',
      );
    }
    causal = `passed (cut at ${causality.cut})`;
  } else {
    causal = 'skipped (non-finite logits)';
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
clearTimeout(deadline);
const evaluationSeconds = (performance.now() - evaluationStarted) / 1000;
channel.close();

const finite = Number.isFinite(result.bitsPerByte);
say('---');
say(`val_bpb:          ${finite ? result.bitsPerByte.toFixed(6) : 'nan'}`);
say(`unigram_bpb:      ${reference.unigram.toFixed(6)}`);
say(`bigram_bpb:       ${reference.bigram.toFixed(6)}`);
say(`eval_bytes:       ${result.bytes}`);
say(`eval_seconds:     ${evaluationSeconds.toFixed(1)}`);
say(`causal_check:     ${causal}`);
say(`harness_seconds:  ${((performance.now() - started) / 1000).toFixed(1)}`);
if (!finite) {
  say('harness: FAILED: the model produced non-finite logits (NaN or infinity)');
  process.exit(1);
}
process.exit(0);
