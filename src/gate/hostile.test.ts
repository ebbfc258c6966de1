// The hostile-module suite: every attack is refused by the gate (at a named stage) or contained by the sandbox.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMechanisms } from '../mechanisms/compose.js';
import type { HookName } from '../mechanisms/hooks.js';
import type { MechanismContext } from '../mechanisms/mechanism.js';
import { contextFor } from '../mechanisms/replay.js';
import { HookFailure, type MechanismRuntime } from '../mechanisms/runtime.js';
import { makeSyntheticTrace } from '../mechanisms/synthetic-trace.js';
import { validateHookResult } from '../mechanisms/validate-hook-result.js';
import { loadSandboxedMechanism } from '../sandbox/sandboxed-runtime.js';
import { compileMechanism, wrapModule } from './compile-mechanism.js';
import { type GateStage, runGate } from './run-gate.js';
import { scanMechanism } from './static-scan.js';

/** The path every file-writing fixture aims at; it must never appear. */
const sentinel = '/tmp/bilevel-hostile-sentinel';

/** A fixture's source without its two header lines (a @ts-nocheck for the project's own type-check). */
function fixture(name: string): string {
  const text = readFileSync(new URL(`./__fixtures__/hostile/${name}.ts`, import.meta.url), 'utf8');
  return text.replace(/^\/\/ @ts-nocheck\n\/\/ Hostile fixture[^\n]*\n/, '');
}

/** Where the gate must stop each fixture (the attack in its name). */
const refusedAt: Record<string, GateStage> = {
  'reads-file-import': 'type-check',
  'reads-file-require': 'static-scan',
  'reads-file-dynamic-import': 'type-check',
  'reads-file-process-binding': 'static-scan',
  'writes-file': 'static-scan',
  'spawns-process': 'static-scan',
  'opens-socket': 'static-scan',
  'constructor-chain-function': 'static-scan',
  'constructor-chain-array': 'static-scan',
  'constructor-chain-async': 'type-check',
  'obfuscated-constructor-chain': 'conformance',
  'obfuscated-async-constructor': 'conformance',
  'obfuscated-stack-trace': 'replay',
  'loops-forever-load': 'load',
  'loops-forever-hook': 'conformance',
  'allocates-without-bound': 'conformance',
  'allocates-outside-heap': 'conformance',
  'throws-everywhere': 'conformance',
  'returns-garbage': 'type-check',
  'returns-garbage-cast': 'conformance',
};

beforeAll(() => rmSync(sentinel, { force: true }));
afterAll(() => {
  // Nothing any fixture did may leave the sentinel behind.
  expect(existsSync(sentinel)).toBe(false);
});

describe('the gate refuses every hostile module, at the stage named', () => {
  for (const [name, stage] of Object.entries(refusedAt)) {
    it(`${name} → refused at ${stage}`, async () => {
      const report = await runGate(fixture(name), { fileName: `${name}.ts`, hookTimeoutMs: 1000 });
      expect(report.ok).toBe(false);
      expect(report.stageReached).toBe(stage);
      expect(report.problems.length).toBeGreaterThan(0);
      expect(existsSync(sentinel)).toBe(false);
    });
  }

  it('passes the legitimate module and reports the decisions it would change', async () => {
    const report = await runGate(fixture('legitimate'), { fileName: 'legitimate.ts' });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, stageReached: 'replay', mechanism: { name: 'tabu-repeats' } });
    expect(report.replay?.decisionsChanged).toBeGreaterThan(0);
    expect(report.compiledJs).toContain('tabu-repeats');
  });

  it('the static scan sees the scan-level attacks even when the type-check stops first', () => {
    for (const name of ['reads-file-import', 'reads-file-dynamic-import', 'constructor-chain-async']) {
      expect(scanMechanism(fixture(name)).ok, name).toBe(false);
    }
  });
});

/** What the sandbox alone does with each attack, the gate's static stages skipped: load or call outcome. */
const containedAs: Record<string, { hook: HookName | 'load' | 'init'; kind: HookFailure['kind']; limitMs?: number }> = {
  'reads-file-import': { hook: 'load', kind: 'throw' },
  'reads-file-require': { hook: 'transformPrompt', kind: 'throw' },
  'reads-file-dynamic-import': { hook: 'load', kind: 'throw' },
  'reads-file-process-binding': { hook: 'screenProposal', kind: 'throw' },
  'writes-file': { hook: 'init', kind: 'throw' },
  'spawns-process': { hook: 'onTrialEnd', kind: 'throw' },
  'opens-socket': { hook: 'onTrialEnd', kind: 'throw' },
  'constructor-chain-function': { hook: 'selectParent', kind: 'throw' },
  'constructor-chain-array': { hook: 'selectParent', kind: 'throw' },
  'constructor-chain-async': { hook: 'selectParent', kind: 'throw' },
  'obfuscated-constructor-chain': { hook: 'selectParent', kind: 'throw' },
  'obfuscated-async-constructor': { hook: 'screenProposal', kind: 'throw' },
  'loops-forever-load': { hook: 'load', kind: 'timeout' },
  'loops-forever-hook': { hook: 'selectParent', kind: 'timeout' },
  'allocates-without-bound': { hook: 'shouldStop', kind: 'crash', limitMs: 10_000 },
  'allocates-outside-heap': { hook: 'shouldStop', kind: 'crash', limitMs: 10_000 },
  'throws-everywhere': { hook: 'selectParent', kind: 'throw' },
  'returns-garbage': { hook: 'selectParent', kind: 'invalid-return' },
  'returns-garbage-cast': { hook: 'transformPrompt', kind: 'invalid-return' },
};

const trace = makeSyntheticTrace('repeats');
const trial = trace.trials[1]!;

/** The arguments the loop would pass to `hook` before trial 1 (observers: after trial 1). */
function argumentsFor(hook: HookName): unknown[] {
  const context = contextFor(trace, 1, 1);
  switch (hook) {
    case 'transformPrompt':
      return [context, { guidance: [], focus: [], avoid: [] }];
    case 'screenProposal':
      return [context, trial.proposal];
    case 'judgeOutcome':
      return [context, trial.outcome];
    case 'onTrialEnd':
      return [contextFor(trace, 2, 1), trace.trials[1]];
    default:
      return [context];
  }
}

/** The fixture as the sandbox would get it with every static check skipped: types stripped and wrapped, nothing else. */
async function compiled(name: string): Promise<string> {
  const result = await transform(fixture(name), { loader: 'ts', format: 'cjs', target: 'es2022' });
  return wrapModule(result.code);
}

async function outcomeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'succeeded';
  } catch (error) {
    if (error instanceof HookFailure) return error.kind;
    throw error;
  }
}

describe('with the static stages bypassed, the sandbox alone contains each attack', () => {
  for (const [name, expected] of Object.entries(containedAs)) {
    it(`${name} → ${expected.hook}: HookFailure ${expected.kind}`, async () => {
      const source = await compiled(name);
      const options = { hookTimeoutMs: expected.limitMs ?? 800 };
      if (expected.hook === 'load') {
        expect(await outcomeOf(() => loadSandboxedMechanism(source, 'generated', options))).toBe(expected.kind);
        expect(existsSync(sentinel)).toBe(false);
        return;
      }
      const { runtime } = await loadSandboxedMechanism(source, 'generated', options);
      try {
        if (expected.hook === 'init') {
          expect(await outcomeOf(() => runtime.init(trace.seed, {}))).toBe(expected.kind);
        } else {
          await runtime.init(trace.seed, {}).catch(() => undefined);
          const hook = expected.hook;
          // What the loop does with an answer: the sandbox returns plain data, the one validation checks its shape.
          const args = argumentsFor(hook);
          const answer = () =>
            runtime.call(hook, args).then((value) => validateHookResult(hook, value, args[0] as MechanismContext));
          expect(await outcomeOf(answer)).toBe(expected.kind);
        }
        expect(existsSync(sentinel)).toBe(false);
      } finally {
        await runtime.dispose();
      }
    });
  }

  it('obfuscated-stack-trace cannot install Error.prepareStackTrace: no call site leaks', async () => {
    const { runtime } = await loadSandboxedMechanism(await compiled('obfuscated-stack-trace'), 'generated');
    try {
      const answer = (await runtime.call('shouldStop', argumentsFor('shouldStop'))) as { stop: boolean };
      expect(answer.stop).toBe(false);
    } finally {
      await runtime.dispose();
    }
  });

  it('the compartment holds no ambient authority: no process, require, fetch, timers or console', async () => {
    const probe = `import { defineMechanism } from 'bilevel/mechanism';
      const names = ['process', 'require', 'module', 'fetch', 'WebSocket', 'Buffer', 'setTimeout', 'console', 'WebAssembly', 'SharedArrayBuffer'];
      export default defineMechanism({
        specificationVersion: 'mechanism-v1', name: 'census', description: 'Lists what the global object offers.',
        shouldStop: () => {
          const global = (0, eval)('this') as Record<string, unknown>;
          return { stop: false, reason: names.filter((name) => global[name] !== undefined).join(',') || 'none' };
        },
      });`;
    const result = await compileMechanism(probe);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { runtime } = await loadSandboxedMechanism(result.compiledJs, 'generated');
    try {
      expect(await runtime.call('shouldStop', argumentsFor('shouldStop'))).toEqual({ stop: false, reason: 'none' });
    } finally {
      await runtime.dispose();
    }
  });
});

describe('the run goes on: hostile mechanisms are struck and retired beside a working one', () => {
  const hostile = ['loops-forever-hook', 'throws-everywhere', 'returns-garbage-cast', 'allocates-without-bound'];

  it(`composes ${hostile.join(', ')} with tabu-repeats over a 20-trial trace`, async () => {
    const runtimes: MechanismRuntime[] = [];
    try {
      for (const name of [...hostile, 'legitimate']) {
        const { runtime } = await loadSandboxedMechanism(await compiled(name), 'generated', { hookTimeoutMs: 500 });
        runtimes.push(runtime);
      }
      const composed = composeMechanisms(runtimes, { maxStrikes: 3, hookTimeoutMs: 500 });
      await composed.init(trace.seed);
      for (const [position, recorded] of trace.trials.entries()) {
        if (position > 0) {
          const context = contextFor(trace, position, recorded.index);
          await composed.shouldStop(context);
          await composed.selectParent(context, recorded.parent);
          if (recorded.proposal) await composed.screenProposal(context, recorded.proposal);
        }
        await composed.onTrialEnd(contextFor(trace, position + 1, recorded.index), trace.trials[position]!);
      }
      const activity = Object.fromEntries(composed.activity().map((entry) => [entry.name, entry]));
      for (const name of hostile) expect(activity[name]?.status, name).toBe('retired');
      expect(activity['tabu-repeats']).toMatchObject({ status: 'active', strikes: 0 });
      expect(activity['tabu-repeats']?.decisionsChanged).toBeGreaterThan(0);
    } finally {
      await Promise.all(runtimes.map((runtime) => runtime.dispose()));
    }
    expect(existsSync(sentinel)).toBe(false);
  });
});
