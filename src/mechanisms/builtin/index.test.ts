import { describe, expect, it } from 'vitest';
import { BilevelError } from '../../core/errors.js';
import { builtinMechanisms, getBuiltinMechanism } from './index.js';

describe('built-in registry', () => {
  it('lists the six built-ins under their own names', () => {
    expect(Object.keys(builtinMechanisms)).toEqual([
      'tabu',
      'bandit',
      'one-factor-sweep',
      'confirm-marginal',
      'plateau-restart',
      'latin-hypercube',
    ]);
    for (const [name, mechanism] of Object.entries(builtinMechanisms)) expect(mechanism.name).toBe(name);
    expect(getBuiltinMechanism('tabu')).toBe(builtinMechanisms.tabu);
  });

  it('names the built-ins when asked for an unknown one', () => {
    try {
      getBuiltinMechanism('toString');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BilevelError);
      expect((error as BilevelError).code).toBe('MECHANISM_NOT_FOUND');
      expect((error as BilevelError).hint).toBe(
        'Built-in mechanisms: tabu, bandit, one-factor-sweep, confirm-marginal, plateau-restart, latin-hypercube.',
      );
    }
  });

  it('built-ins import nothing but the contract, so they can be shown to the meta level as they are', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const name of Object.keys(builtinMechanisms)) {
      const source = await readFile(new URL(`./${name}.ts`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(imports, name).toEqual(['../mechanism.js']);
      expect(source, name).not.toMatch(/Math\.random|Date\.|performance\./);
    }
  });
});
