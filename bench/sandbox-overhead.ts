// Measures what the sandbox costs: per-call round trip vs in process, host cold start, and gate stage times.
// Run: npx tsx bench/sandbox-overhead.ts [--calls 2000] [--json]
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileMechanism } from '../src/gate/compile-mechanism.js';
import { runGate } from '../src/gate/run-gate.js';
import { scanMechanism } from '../src/gate/static-scan.js';
import { typeCheckMechanism } from '../src/gate/type-check.js';
import { createInProcessRuntime } from '../src/mechanisms/in-process-runtime.js';
import { defineMechanism, type MechanismContext } from '../src/mechanisms/mechanism.js';
import type { MechanismRuntime } from '../src/mechanisms/runtime.js';
import { sampleContext } from '../src/sandbox/__fixtures__/sample-context.js';
import { loadSandboxedMechanism } from '../src/sandbox/sandboxed-runtime.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 2000;
const asJson = process.argv.includes('--json');

/** A trivial decision hook: reads the context, answers a small object. */
const source = `import { defineMechanism } from 'bilevel/mechanism';
export default defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'trivial',
  description: 'Answers from the history length; for timing only.',
  shouldStop: (context) => ({ stop: false, reason: 'seen ' + context.history.length }),
});
`;
const inProcessMechanism = defineMechanism({
  specificationVersion: 'mechanism-v1',
  name: 'trivial',
  description: 'Answers from the history length; for timing only.',
  shouldStop: (context) => ({ stop: false, reason: `seen ${context.history.length}` }),
});

interface Stats {
  /** Milliseconds. */
  median: number;
  p99: number;
  samples: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((left, right) => left - right);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  return { median: round(at(0.5)), p99: round(at(0.99)), samples: sorted.length };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}

async function timeCalls(runtime: MechanismRuntime, context: MechanismContext): Promise<Stats> {
  for (let index = 0; index < 50; index++) await runtime.call('shouldStop', [context]);
  const samples: number[] = [];
  for (let index = 0; index < calls; index++) {
    const started = performance.now();
    await runtime.call('shouldStop', [context]);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function main(): Promise<void> {
  const results: Record<string, Stats> = {};
  const coldTypeCheck = performance.now();
  typeCheckMechanism(source, 'trivial.ts');
  results['type-check, cold (first in process)'] = stats([performance.now() - coldTypeCheck]);
  const warm: number[] = [];
  for (let index = 0; index < 20; index++) {
    const started = performance.now();
    typeCheckMechanism(source, 'trivial.ts');
    warm.push(performance.now() - started);
  }
  results['type-check, warm'] = stats(warm);
  const scans: number[] = [];
  const compiles: number[] = [];
  for (let index = 0; index < 20; index++) {
    let started = performance.now();
    scanMechanism(source);
    scans.push(performance.now() - started);
    started = performance.now();
    await compileMechanism(source);
    compiles.push(performance.now() - started);
  }
  results['static scan'] = stats(scans);
  results['compile (esbuild)'] = stats(compiles);
  const compiled = await compileMechanism(source);
  if (!compiled.ok) throw new Error(compiled.problems.join('\n'));

  const starts: number[] = [];
  for (let index = 0; index < 10; index++) {
    const started = performance.now();
    const { runtime } = await loadSandboxedMechanism(compiled.compiledJs, 'generated');
    starts.push(performance.now() - started);
    await runtime.dispose();
  }
  results['host cold start (spawn + lockdown + load)'] = stats(starts);

  const gates: number[] = [];
  for (let index = 0; index < 3; index++) {
    const started = performance.now();
    await runGate(source, { fileName: 'trivial.ts', allowInert: true });
    gates.push(performance.now() - started);
  }
  results['whole gate (warm type-check, 3 synthetic replays)'] = stats(gates);

  const { runtime: sandboxed } = await loadSandboxedMechanism(compiled.compiledJs, 'generated');
  const inProcess = createInProcessRuntime(inProcessMechanism);
  try {
    for (const trials of [1, 200]) {
      const context = sampleContext(trials);
      const bytes = JSON.stringify(context).length;
      results[`sandboxed call, ${trials}-trial context (${bytes} B JSON)`] = await timeCalls(sandboxed, context);
      results[`in-process call, ${trials}-trial context`] = await timeCalls(inProcess, context);
    }
  } finally {
    await sandboxed.dispose();
    await inProcess.dispose();
  }

  const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ machine, calls, results }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `machine: ${machine}; ${calls} calls per call row\n\n| measurement | median ms | p99 ms | samples |\n| --- | --- | --- | --- |\n`,
  );
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`| ${name} | ${value.median} | ${value.samples > 1 ? value.p99 : '–'} | ${value.samples} |\n`);
  }
}

await main();
