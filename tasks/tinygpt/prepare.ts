// tinygpt's harness (protected; the prepare.py of this task): data, budget, evaluation and the metric line.
//
// It runs train.ts as a child process and forwards the child's output with a `train| ` prefix, so nothing
// train.ts prints can start a line with `val_bpb:`. After training, the child only answers requests for
// logits over IPC; the bits per byte are computed here, and this process prints the one `val_bpb:` line,
// after the child has exited. Exit 0 with a metric, or exit 1 with a reason (a crash outcome).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './corpus.js';
import {
  type ByteModel,
  checkCausality,
  evaluateBitsPerByte,
  evaluationSegments,
  referenceBitsPerByte,
} from './evaluate.js';
import { budgetSeconds, type HarnessMessage, type TrainerMessage } from './harness.js';

/** Training may overrun the budget by this share plus the start-up allowance before the child is killed. */
const OVERRUN_SHARE = 0.25;
/** Seconds allowed for train.ts to start (load data, build the model) and finish its last step. */
const STARTUP_SECONDS = 30;
/** Seconds allowed for the evaluation (16,384 bytes; the largest declared model needs about 15). */
const EVALUATION_SECONDS = 120;
/** Seconds train.ts has to print its summary and exit after receiving the result. */
const EXIT_SECONDS = 15;

const started = performance.now();
const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function fail(reason: string, child?: ChildProcess): never {
  child?.kill('SIGKILL');
  say(`harness: FAILED: ${reason}`);
  process.exit(1);
}

/** Resolves when `child` sends a message of `type` (or rejects on exit/deadline). */
function nextMessage<T extends TrainerMessage['type']>(
  child: ChildProcess,
  type: T,
  seconds: number,
  what: string,
): Promise<Extract<TrainerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${what} took longer than ${seconds.toFixed(0)} s`)),
      seconds * 1000,
    );
    const onMessage = (message: TrainerMessage): void => {
      if (message.type === type) finish(undefined, message as Extract<TrainerMessage, { type: T }>);
      else if (message.type === 'error') finish(new Error(`train.ts failed during evaluation: ${message.message}`));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`train.ts exited (${signal ?? `code ${code}`}) before ${what} finished`));
    function finish(error: Error | undefined, message?: Extract<TrainerMessage, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function forward(stream: NodeJS.ReadableStream | null, write: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => write(`train| ${line}\n`));
  return new Promise((resolve) => lines.on('close', resolve));
}

let budget: number;
try {
  budget = budgetSeconds();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const corpus = loadCorpus();
const segments = evaluationSegments(corpus.validation);
const reference = referenceBitsPerByte(corpus.train, segments);
say(
  `harness: budget ${budget} s, seed ${process.env.BILEVEL_SEED ?? '(train.ts default)'}, ` +
    `${corpus.train.length} train bytes, ${corpus.validation.length} validation bytes ` +
    `(${corpus.cached ? 'cached' : 'prepared now'})`,
);

const child = spawn(process.execPath, [...process.execArgv, 'train.ts'], {
  cwd: here,
  env: { ...process.env, BILEVEL_BUDGET_SECONDS: String(budget) },
  stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  serialization: 'advanced',
});
process.on('SIGTERM', () => fail('harness stopped (SIGTERM)', child));
const outputDone = Promise.all([
  forward(child.stdout, (line) => process.stdout.write(line)),
  forward(child.stderr, (line) => process.stderr.write(line)),
]);
const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

async function evaluate(): Promise<{ bitsPerByte: number; bytes: number; causal: string; seconds: number }> {
  const trainingSeconds = budget * (1 + OVERRUN_SHARE) + STARTUP_SECONDS;
  const ready = await nextMessage(child, 'ready', trainingSeconds, 'training');
  const evaluationStarted = performance.now();
  let nextId = 0;
  const remote: ByteModel = {
    contextLength: ready.contextLength,
    async logits(tokens, windows, length) {
      const id = nextId++;
      const reply = nextMessage(child, 'logits', EVALUATION_SECONDS, 'evaluation');
      child.send({ type: 'logits', id, tokens, windows, length } satisfies HarnessMessage);
      const message = await reply;
      if (message.id !== id) throw new Error(`train.ts answered request ${message.id}, expected ${id}`);
      return message.logits;
    },
  };
  const evaluationDeadline = setTimeout(
    () => fail(`evaluation took longer than ${EVALUATION_SECONDS} s`, child),
    EVALUATION_SECONDS * 1000,
  );
  const result = await evaluateBitsPerByte(remote, segments);
  if (!Number.isFinite(result.bitsPerByte)) {
    clearTimeout(evaluationDeadline);
    return {
      ...result,
      causal: 'skipped (non-finite logits)',
      seconds: (performance.now() - evaluationStarted) / 1000,
    };
  }
  const causality = await checkCausality(remote, segments[0]!, randomInt(1_000_000) / 1_000_000);
  clearTimeout(evaluationDeadline);
  if (!causality.passed) {
    fail(
      `the model reads ahead: logits before position ${causality.cut} changed by ${causality.difference.toExponential(2)} ` +
        'when only later bytes changed (attention must be causal)',
      child,
    );
  }
  const seconds = (performance.now() - evaluationStarted) / 1000;
  return { ...result, causal: `passed (cut at ${causality.cut})`, seconds };
}

let evaluation: Awaited<ReturnType<typeof evaluate>>;
try {
  evaluation = await evaluate();
} catch (error) {
  await Promise.race([outputDone, new Promise((resolve) => setTimeout(resolve, 1000))]);
  fail(error instanceof Error ? error.message : String(error), child);
}
child.send({ type: 'result', bitsPerByte: evaluation.bitsPerByte } satisfies HarnessMessage);
const exitTimer = setTimeout(
  () => fail(`train.ts did not exit within ${EXIT_SECONDS} s of its result`, child),
  EXIT_SECONDS * 1000,
);
const code = await exited;
await outputDone;
clearTimeout(exitTimer);
if (code !== 0) fail(`train.ts exited with code ${code} after evaluation`);

const finite = Number.isFinite(evaluation.bitsPerByte);
say('---');
say(`val_bpb:          ${finite ? evaluation.bitsPerByte.toFixed(6) : 'nan'}`);
say(`unigram_bpb:      ${reference.unigram.toFixed(6)}`);
say(`bigram_bpb:       ${reference.bigram.toFixed(6)}`);
say(`eval_bytes:       ${evaluation.bytes}`);
say(`eval_seconds:     ${evaluation.seconds.toFixed(1)}`);
say(`causal_check:     ${evaluation.causal}`);
say(`harness_seconds:  ${((performance.now() - started) / 1000).toFixed(1)}`);
if (!finite) {
  say('harness: FAILED: the model produced non-finite logits (NaN or infinity)');
  process.exit(1);
}
