import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BilevelError } from '../../core/errors.js';
import { importNodeLlamaCpp, nodeLlamaCppInstallHint, resolveNodeLlamaCpp } from './load-node-llama-cpp.js';

const directory = await mkdtemp(join(tmpdir(), 'bilevel-optional-deps-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

/** A stand-in package named node-llama-cpp in `root`/node_modules, exporting `marker`. */
async function writeStandIn(root: string, body: string): Promise<void> {
  const packageDirectory = join(root, 'node_modules', 'node-llama-cpp');
  await mkdir(packageDirectory, { recursive: true });
  await writeFile(
    join(packageDirectory, 'package.json'),
    JSON.stringify({
      name: 'node-llama-cpp',
      version: '0.0.0',
      type: 'module',
      exports: { '.': { node: './index.js' } },
    }),
  );
  await writeFile(join(packageDirectory, 'index.js'), body);
}

describe('loading the optional node-llama-cpp package', () => {
  it('says how to install it when no search base has it', async () => {
    const empty = join(directory, 'empty');
    await mkdir(empty);
    expect(resolveNodeLlamaCpp([join(empty, 'package.json')])).toBeUndefined();
    const error = await importNodeLlamaCpp([join(empty, 'package.json')]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BilevelError);
    expect((error as BilevelError).code).toBe('LLM_LOCAL_UNAVAILABLE');
    expect((error as BilevelError).isUserError).toBe(true);
    expect((error as BilevelError).hint).toBe(nodeLlamaCppInstallHint);
    expect(nodeLlamaCppInstallHint).toContain('npm install node-llama-cpp@3.21.1');
    expect(nodeLlamaCppInstallHint).toContain('optional');
    expect(nodeLlamaCppInstallHint).toContain('730 MB');
  });

  it('finds it in a later search base, such as the BILEVEL_OPTIONAL_DEPS_DIR folder', async () => {
    const extra = join(directory, 'extra');
    await writeStandIn(extra, 'export const marker = "stand-in";\n');
    const bases = [join(directory, 'nowhere', 'package.json'), join(extra, 'package.json')];
    expect(resolveNodeLlamaCpp(bases)).toBe(join(extra, 'node_modules', 'node-llama-cpp', 'index.js'));
    const loaded = (await importNodeLlamaCpp(bases)) as unknown as { marker: string };
    expect(loaded.marker).toBe('stand-in');
  });

  it('reports a package that is found but fails to load, with the path', async () => {
    const broken = join(directory, 'broken');
    await writeStandIn(broken, 'throw new Error("native binding missing");\n');
    await expect(importNodeLlamaCpp([join(broken, 'package.json')])).rejects.toMatchObject({
      code: 'LLM_LOCAL_UNAVAILABLE',
      message: expect.stringContaining(join(broken, 'node_modules', 'node-llama-cpp')),
    });
  });
});
