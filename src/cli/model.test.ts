import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCachedDefaultModel } from '../llm/local/model-cache.js';
import { defaultModelName, findCatalogModel } from '../llm/local/model-catalog.js';
import { registerModelCommand } from './model.js';

/** Stands in for the default model's file on a local mirror: GGUF magic and random bytes. */
const content = Buffer.concat([Buffer.from('GGUF'), randomBytes(50_000)]);
const fileName = findCatalogModel(defaultModelName).fileName;
let server: Server;
let baseUrl: string;
let cacheDir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === `/mirror/${fileName}`)
      response.writeHead(200, { 'content-length': content.length }).end(content);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
  cacheDir = await mkdtemp(join(tmpdir(), 'bilevel-model-cli-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(cacheDir, { recursive: true, force: true });
});

/** Runs `bilevel model ...args` in-process and returns what it wrote. */
async function runModel(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    err += String(chunk);
  });
  const program = new Command('bilevel').exitOverride();
  registerModelCommand(program, { stdout, stderr });
  await program.parseAsync(['model', ...args], { from: 'user' });
  return { stdout: out, stderr: err };
}

describe('bilevel model (against a local HTTP mirror)', () => {
  it('lists the catalog with the default model not yet downloaded', async () => {
    const { stdout } = await runModel(['list', '--dir', cacheDir, '--json']);
    const listed = JSON.parse(stdout) as { models: { name: string; default: boolean; cached: boolean }[] };
    expect(listed.models.find((model) => model.default)).toMatchObject({ name: defaultModelName, cached: false });
    expect(findCachedDefaultModel({ cacheDir })).toBeUndefined();
  });

  it('pulls the default model with plain progress lines when stderr is not a terminal', async () => {
    const { stdout, stderr } = await runModel(['pull', '--dir', cacheDir, '--base-url', baseUrl]);
    expect(stderr).toContain(`downloading ${defaultModelName}`);
    expect(stderr).toMatch(/100% 0\.1 MB of 0\.1 MB\n/);
    expect(stderr).not.toContain('\r');
    const path = join(cacheDir, fileName);
    expect(stdout).toContain(`saved ${defaultModelName} at ${path}`);
    expect(stdout).toContain('unverified');
    expect((await readFile(path)).equals(content)).toBe(true);
    expect(findCachedDefaultModel({ cacheDir })).toBe(`local:${path}`);
  });

  it('prints one JSON object with --json, and lists the model as cached', async () => {
    const { stdout, stderr } = await runModel(['pull', '--dir', cacheDir, '--base-url', baseUrl, '--json']);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({
      name: defaultModelName,
      llm: `local:${join(cacheDir, fileName)}`,
      bytes: content.length,
      downloaded: false,
    });
    const listed = await runModel(['list', '--dir', cacheDir]);
    expect(listed.stdout).toContain(`${defaultModelName}  [default, cached]`);
  });

  it('names the catalog for an unknown model', async () => {
    await expect(runModel(['pull', 'gpt-17', '--dir', cacheDir])).rejects.toMatchObject({
      code: 'MODEL_UNKNOWN',
      message: expect.stringContaining(defaultModelName),
    });
  });
});
