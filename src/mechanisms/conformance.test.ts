// The shared conformance suite, run against every built-in, plus mechanisms built to fail each check.
import { describe, expect, it } from 'vitest';
import { loadFixtureTrace } from './__fixtures__/load-trace.js';
import { builtinMechanisms } from './builtin/index.js';
import { type ConformanceCheckName, formatConformanceReport, runConformance } from './conformance.js';
import { createInProcessRuntime } from './in-process-runtime.js';
import { defineMechanism, type Mechanism } from './mechanism.js';
import { syntheticScenarios } from './synthetic-trace.js';

describe.each(Object.entries(builtinMechanisms))('built-in %s', (_name, mechanism) => {
  it.each(syntheticScenarios)('passes every conformance check on the %s trace', async (scenario) => {
    const report = await runConformance(createInProcessRuntime(mechanism), {
      trace: loadFixtureTrace(scenario),
      hookTimeoutMs: 1000,
    });
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.checks).toHaveLength(8);
  });
});

async function failedChecks(mechanism: Mechanism, hookTimeoutMs = 1000): Promise<Record<string, string>> {
  const report = await runConformance(createInProcessRuntime(mechanism, 'generated'), { hookTimeoutMs });
  expect(report.passed).toBe(false);
  return Object.fromEntries(report.checks.filter((check) => !check.passed).map((check) => [check.name, check.message]));
}

const base = { specificationVersion: 'mechanism-v1', description: 'A test mechanism that breaks one rule.' } as const;

describe('runConformance catches each kind of non-conformance', () => {
  it('randomness outside the seed fails determinism', async () => {
    const failed = await failedChecks(
      defineMechanism({
        ...base,
        name: 'coin-flip',
        shouldStop: () => ({ stop: false, reason: `coin ${Math.random()}` }),
      }),
    );
    expect(Object.keys(failed)).toEqual(['deterministic' satisfies ConformanceCheckName]);
    expect(failed.deterministic).toMatch(/first difference: trial 1, shouldStop: .*coin .* then .*coin/);
    expect(failed.deterministic).toMatch(/never Math\.random/);
  });

  it('a throw on an empty history and invalid shapes on the trace are reported with the hook and reason', async () => {
    const failed = await failedChecks(
      defineMechanism({
        ...base,
        name: 'fragile',
        selectParent: (context) => {
          if (context.history.length < 2) throw new Error('needs history');
          return { parent: context.trialIndex };
        },
      }),
    );
    expect(Object.keys(failed).sort()).toEqual(['empty-history', 'valid-shapes-on-trace']);
    expect(failed['empty-history']).toMatch(/selectParent: throw: selectParent threw Error: needs history/);
    expect(failed['valid-shapes-on-trace']).toMatch(/is not a kept trial in context\.kept/);
  });

  it('a slow hook fails the time limit', async () => {
    const failed = await failedChecks(
      defineMechanism({
        ...base,
        name: 'slow-poke',
        shouldStop: () => {
          const until = performance.now() + 25;
          while (performance.now() < until) {}
          return undefined;
        },
      }),
      5,
    );
    expect(Object.keys(failed)).toEqual(['empty-history', 'within-time-limit']);
    expect(failed['within-time-limit']).toMatch(/within 5 ms .*shouldStop: timeout: shouldStop took \d+ ms/);
  });

  it('metadata: name, description, params, and at least one decision hook', async () => {
    const failed = await failedChecks({
      specificationVersion: 'mechanism-v1',
      name: 'Bad_Name',
      description: 'short',
      params: {
        width: { type: 'number', default: 9, min: 1, max: 5 },
        mode: { type: 'choice', default: 'c', choices: ['a', 'b'] },
        'Bad-Key': { type: 'number', default: 1.5, min: 1, max: 5, integer: true },
      },
      onTrialEnd: () => undefined,
    });
    expect(Object.keys(failed).sort()).toEqual([
      'description-present',
      'has-decision-hook',
      'name-kebab-case',
      'params-well-formed',
    ]);
    expect(failed['params-well-formed']).toBe(
      'param "width": default 9 is outside [1, 5]; param "mode": default "c" must be one of its (non-empty) choices; ' +
        'param "Bad-Key" must be a camelCase identifier; param "Bad-Key": default 1.5 must be a whole number',
    );
  });

  it('formats a report a model can act on, and flags an inert replay', async () => {
    const quiet = defineMechanism({ ...base, name: 'quiet', shouldStop: () => undefined });
    const report = await runConformance(createInProcessRuntime(quiet));
    expect(report.passed).toBe(true);
    expect(report.replay.inert).toBe(true);
    expect(formatConformanceReport(report)).toMatch(/^quiet: conforms\npass name-kebab-case\n[\s\S]*inert/);
    const failing = await runConformance(createInProcessRuntime({ ...quiet, name: 'Quiet' }));
    expect(formatConformanceReport(failing)).toMatch(/FAIL name-kebab-case: name "Quiet" must be kebab-case/);
  });
});
