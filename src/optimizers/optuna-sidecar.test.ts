import { describe, expect, it } from 'vitest';
import { systemPackage } from '../../test/helpers/system-package.js';
import { BilevelError } from '../core/errors.js';
import { findOptunaPython } from './find-python.js';
import { optunaAvailability, requireOptuna } from './optuna-availability.js';
import { OptunaSidecar, type SidecarOptions } from './optuna-sidecar.js';

const python = findOptunaPython(undefined).chosen;
const usable = systemPackage('python3-optuna', () => python !== undefined);

function options(seed: number): SidecarOptions {
  return {
    python: python?.executable ?? 'python3',
    sampler: 'tpe',
    seed,
    direction: 'minimize',
    space: {
      X: { type: 'float', low: 0.001, high: 1, log: true },
      N: { type: 'int', low: 1, high: 8, log: false },
      C: { type: 'categorical', choices: ['a', 'b', 16] },
    },
  };
}

async function asks(seed: number, count: number) {
  const sidecar = await OptunaSidecar.start(options(seed));
  const proposals = [];
  try {
    await sidecar.add({ X: 0.1, N: 3, C: 'a' }, 1.5);
    for (let index = 0; index < count; index++) {
      const asked = await sidecar.ask(index === 0 ? { N: 4 } : {});
      proposals.push(asked.params);
      await sidecar.tell(asked.number, index % 3 === 2 ? null : Number(asked.params.X) * 10);
    }
  } finally {
    sidecar.close();
  }
  return proposals;
}

describe('a Python without Optuna', () => {
  it('is OPTIMIZER_UNAVAILABLE (exit 2), naming what was tried and what to install', () => {
    try {
      requireOptuna(['tpe'], '/nonexistent/python3');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BilevelError);
      const failure = error as BilevelError;
      expect(failure.code).toBe('OPTIMIZER_UNAVAILABLE');
      expect(failure.isUserError).toBe(true);
      expect(failure.message).toContain('/nonexistent/python3: not found');
      expect(failure.hint).toContain('pip install optuna');
      expect(failure.hint).toContain('apt-get install python3-optuna');
      expect(failure.hint).toContain('--python PATH');
    }
  });
});

describe.skipIf(!usable)('the Optuna sidecar (Debian python3-optuna)', () => {
  it('proposes the same values for the same seed and told trials, others for another seed; fixed params stay out', async () => {
    const first = await asks(5, 12);
    expect(await asks(5, 12)).toEqual(first);
    expect(await asks(6, 12)).not.toEqual(first);
    expect(Object.keys(first[0] ?? {}).sort()).toEqual(['C', 'X']);
    for (const values of first.slice(1)) {
      expect(Number(values.X)).toBeGreaterThanOrEqual(0.001);
      expect(Number(values.X)).toBeLessThanOrEqual(1);
      expect(Number.isInteger(values.N)).toBe(true);
      expect(['a', 'b', 16]).toContain(values.C);
    }
  }, 60_000);

  it('turns a failed request into OPTIMIZER_FAILED with the Python error', async () => {
    const sidecar = await OptunaSidecar.start(options(1));
    try {
      await expect(sidecar.tell(99, 1)).rejects.toMatchObject({
        code: 'OPTIMIZER_FAILED',
        message: expect.stringMatching(/KeyError: 99/),
      });
      // The sidecar goes on after a failed request.
      expect((await sidecar.ask({})).number).toBe(0);
    } finally {
      sidecar.close();
    }
  }, 30_000);

  it('reports each sampler: TPE, CMA-ES and random run with Debian’s Optuna; GP and QMC say what they lack', () => {
    const { samplers } = optunaAvailability();
    const byName = Object.fromEntries(samplers.map((entry) => [entry.sampler, entry]));
    for (const name of ['tpe', 'cmaes', 'random'] as const) expect(byName[name]?.problem).toBeUndefined();
    if (byName.gp?.problem !== undefined) {
      expect(() => requireOptuna(['gp'])).toThrow(/optuna:gp cannot run with .*: .*GPSampler/);
    }
    if (byName.qmc?.problem !== undefined) expect(byName.qmc.problem).toMatch(/SciPy/);
  }, 30_000);
});
