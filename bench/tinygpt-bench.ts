// Measures tinygpt's kernels and training step: matmul GFLOP/s at the model's shapes, tokens per second, and
// the share of step time per function (V8 sampling profiler). Run: npx tsx bench/tinygpt-bench.ts [--quick]
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import {
  kernelBackend,
  matmul,
  matmulTransposed,
  matmulTransposedAAccumulate,
  setKernelBackend,
} from '../tasks/tinygpt/kernels.js';
import {
  type Config,
  defaultConfig,
  defaultHyperparameters,
  type Hyperparameters,
  train,
} from '../tasks/tinygpt/train.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 0.3 : 1;

function randomMatrix(size: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.random() - 0.5;
  return values;
}

/** Repeats `run` for about `seconds` after a warm-up; returns seconds per call. */
function time(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    run();
    calls++;
  }
  return (performance.now() - started) / 1000 / calls;
}

function naiveMatmul(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = sum;
    }
  }
}

/** The matmul shapes of one training step: (rows, inputs, outputs) of every linear layer. */
function linearShapes(config: Config, hyper: Hyperparameters): Array<[string, number, number, number]> {
  const rows = hyper.batchSize * config.seqLen;
  const { width } = config;
  const hidden = width * config.mlpRatio;
  return [
    ['qkv', rows, width, 3 * width],
    ['projection', rows, width, width],
    ['mlp_up', rows, width, hidden],
    ['mlp_down', rows, hidden, width],
    ['head', rows, width, 256],
  ];
}

type Backend = 'wasm-simd' | 'typescript';

function benchMatmuls(config: Config, hyper: Hyperparameters, backends: Backend[]): void {
  console.log('matmul GFLOP/s (one thread) at the shapes of one training step:');
  console.log('  forward a·Wᵀ, input gradient g·W, weight gradient gᵀ·x (copies and transposes included)');
  const header = backends.map((backend) => `${backend}: fwd / dx / dW`.padStart(30)).join('');
  console.log(`layer        rows×in×out      naive${header}`);
  for (const [name, rows, inputs, outputs] of linearShapes(config, hyper)) {
    const x = randomMatrix(rows * inputs);
    const w = randomMatrix(outputs * inputs);
    const g = randomMatrix(rows * outputs);
    const y = new Float32Array(rows * outputs);
    const dx = new Float32Array(rows * inputs);
    const dw = new Float32Array(outputs * inputs);
    const flops = 2 * rows * inputs * outputs;
    const rate = (seconds: number) => (flops / seconds / 1e9).toFixed(2);
    const naive = time(() => naiveMatmul(y, x, w, rows, inputs, outputs));
    const columns = backends.map((backend) => {
      setKernelBackend(backend);
      const forwardTime = time(() => matmulTransposed(y, x, w, rows, inputs, outputs));
      const inputGrad = time(() => matmul(dx, g, w, rows, outputs, inputs));
      const weightGrad = time(() => matmulTransposedAAccumulate(dw, g, x, rows, outputs, inputs));
      return `${rate(forwardTime)} / ${rate(inputGrad)} / ${rate(weightGrad)}`.padStart(30);
    });
    console.log(
      `${name.padEnd(12)} ${`${rows}×${inputs}×${outputs}`.padEnd(15)} ${rate(naive).padStart(6)}${columns.join('')}`,
    );
  }
}

async function benchTraining(config: Config, hyper: Hyperparameters, backend: Backend): Promise<void> {
  setKernelBackend(backend);
  const data = new Uint8Array(1 << 20);
  for (let i = 0; i < data.length; i++) data[i] = 32 + ((i * 7919) % 90);
  train({ config, hyper, seed: 1, data, steps: 3 }); // warm-up (JIT)
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const steps = quick ? 5 : 20;
  const result = train({ config, hyper, seed: 1, data, steps });
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const selfTime = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, index) => {
    const name = byId.get(id)?.callFrame.functionName || '(other)';
    selfTime.set(name, (selfTime.get(name) ?? 0) + (deltas[index] ?? 0));
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  const share = (names: string[]) => names.reduce((sum, name) => sum + (selfTime.get(name) ?? 0), 0) / total;
  // matmul time: the kernels, the copies into WebAssembly memory and the operand transposes
  const matmulNames = [...selfTime.keys()].filter((name) =>
    /^(matmul|matmulTransposed|matmulTransposedAAccumulate|dotTransposed|wasmGemm|transpose|js-to-wasm.*|wasm-function.*)$/.test(
      name,
    ),
  );
  const matmulShare = share(matmulNames);
  console.log(
    `\ntraining with ${backend} matmul (${JSON.stringify(config)}, batch ${hyper.batchSize}): ${(result.tokens / result.trainingSeconds).toFixed(0)} tokens/s, ` +
      `${((result.trainingSeconds / result.steps) * 1000).toFixed(1)} ms/step over ${result.steps} steps`,
  );
  console.log(`share of step time in matmul (kernel + operand transposes): ${(matmulShare * 100).toFixed(1)}%`);
  const top = [...selfTime.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  for (const [name, micros] of top) console.log(`  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
}

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}, node ${process.version}\n`,
);
const backends: Backend[] = setKernelBackend('wasm-simd') ? ['wasm-simd', 'typescript'] : ['typescript'];
benchMatmuls(defaultConfig, defaultHyperparameters, backends);
for (const backend of backends) await benchTraining(defaultConfig, defaultHyperparameters, backend);
setKernelBackend(backends[0]!);
console.log(`\ndefault kernel backend: ${kernelBackend()}`);
