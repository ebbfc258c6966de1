import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BilevelError } from '../../core/errors.js';
import { findCachedDefaultModel, modelCacheDir } from './model-cache.js';
import type { CatalogModel } from './model-catalog.js';
import { pullModel } from './pull-model.js';

/** A fake model file: GGUF magic, then 300 kB of random bytes. */
const content = Buffer.concat([Buffer.from('GGUF'), randomBytes(300_000)]);
const contentSha = createHash('sha256').update(content).digest('hex');

/** How the local test server misbehaves for the next request(s). */
const behaviour = { cutAfterBytes: 0, ignoreRange: false, serveHtml: false };
const requests: { url: string; range: string | undefined }[] = [];
let server: Server;
let baseUrl: string;

function serve(request: IncomingMessage, response: ServerResponse): void {
  requests.push({ url: request.url ?? '', range: request.headers.range });
  if (!request.url?.endsWith('.gguf')) {
    response.writeHead(404, 'Not Found').end('no such file');
    return;
  }
  if (behaviour.serveHtml) {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in first</html>');
    return;
  }
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = match && !behaviour.ignoreRange ? Number(match[1]) : 0;
  if (start >= content.length) {
    response.writeHead(416, { 'content-range': `bytes */${content.length}` }).end();
    return;
  }
  const body = content.subarray(start);
  response.writeHead(start > 0 ? 206 : 200, {
    'content-length': String(body.length),
    'accept-ranges': 'bytes',
    ...(start > 0 ? { 'content-range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
  });
  if (behaviour.cutAfterBytes > 0) {
    // An interrupted transfer: part of the body, then the connection drops.
    const cut = behaviour.cutAfterBytes;
    behaviour.cutAfterBytes = 0;
    response.write(body.subarray(0, cut), () => setTimeout(() => response.socket?.destroy(), 50));
    return;
  }
  response.end(body);
}

function catalogEntry(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    name: 'test-model',
    description: 'served by the local test server',
    url: 'http://127.0.0.1:9/unused.gguf',
    fileName: 'test-model.gguf',
    sizeBytes: content.length,
    sha256: contentSha,
    license: 'MIT',
    ...overrides,
  };
}

let cacheDir: string;
beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'bilevel-models-'));
  requests.length = 0;
  Object.assign(behaviour, { cutAfterBytes: 0, ignoreRange: false, serveHtml: false });
  return () => rm(cacheDir, { recursive: true, force: true });
});

describe('pullModel against a local HTTP server', () => {
  it('downloads, verifies size and SHA-256, and renames into place', async () => {
    const progress: number[] = [];
    const catalog = [catalogEntry()];
    const pulled = await pullModel('test-model', {
      cacheDir,
      baseUrl,
      catalog,
      onProgress: (done, total) => {
        progress.push(done);
        expect(total).toBe(content.length);
      },
    });
    expect(pulled).toMatchObject({ bytes: content.length, sha256: contentSha, verified: true, downloaded: true });
    expect(pulled.path).toBe(join(cacheDir, 'test-model.gguf'));
    expect((await readFile(pulled.path)).equals(content)).toBe(true);
    expect(existsSync(`${pulled.path}.part`)).toBe(false);
    expect(requests).toEqual([{ url: '/models/test-model.gguf', range: undefined }]);
    expect(progress.at(-1)).toBe(content.length);
    expect(findCachedDefaultModel({ cacheDir, model: catalog[0] })).toBe(`local:${pulled.path}`);

    const again = await pullModel('test-model', { cacheDir, baseUrl, catalog });
    expect(again.downloaded).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    behaviour.cutAfterBytes = 100_000;
    const catalog = [catalogEntry()];
    const first = await pullModel('test-model', { cacheDir, baseUrl, catalog }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(BilevelError);
    expect((first as BilevelError).code).toBe('MODEL_DOWNLOAD_FAILED');
    expect((first as BilevelError).hint).toContain('resumes');
    const partPath = join(cacheDir, 'test-model.gguf.part');
    const partial = (await stat(partPath)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(content.length);
    expect(existsSync(join(cacheDir, 'test-model.gguf'))).toBe(false);
    expect(findCachedDefaultModel({ cacheDir, model: catalog[0] })).toBeUndefined();

    const pulled = await pullModel('test-model', { cacheDir, baseUrl, catalog });
    expect(requests.at(-1)?.range).toBe(`bytes=${partial}-`);
    expect(pulled.sha256).toBe(contentSha);
    expect((await readFile(pulled.path)).equals(content)).toBe(true);
  });

  it('starts over when the server ignores Range', async () => {
    await writeFile(join(cacheDir, 'test-model.gguf.part'), content.subarray(0, 5000));
    behaviour.ignoreRange = true;
    const pulled = await pullModel('test-model', { cacheDir, baseUrl, catalog: [catalogEntry()] });
    expect(requests[0]?.range).toBe('bytes=5000-');
    expect((await readFile(pulled.path)).equals(content)).toBe(true);
  });

  it('rejects a checksum mismatch and leaves no model file behind', async () => {
    const catalog = [catalogEntry({ sha256: 'ab'.repeat(32) })];
    await expect(pullModel('test-model', { cacheDir, baseUrl, catalog })).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      message: expect.stringContaining('SHA-256'),
    });
    expect(existsSync(join(cacheDir, 'test-model.gguf'))).toBe(false);
    expect(existsSync(join(cacheDir, 'test-model.gguf.part'))).toBe(false);
  });

  it('rejects a page that is not a GGUF file when no hash is pinned', async () => {
    behaviour.serveHtml = true;
    const catalog = [catalogEntry({ sha256: undefined, sizeBytes: undefined })];
    await expect(pullModel('test-model', { cacheDir, baseUrl, catalog })).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      message: expect.stringContaining('GGUF'),
    });
    expect(existsSync(join(cacheDir, 'test-model.gguf'))).toBe(false);
  });

  it('marks a download without a pinned hash as unverified', async () => {
    const pulled = await pullModel('test-model', {
      cacheDir,
      baseUrl,
      catalog: [catalogEntry({ sha256: undefined, sizeBytes: undefined })],
    });
    expect(pulled).toMatchObject({ verified: false, sha256: contentSha, bytes: content.length });
  });

  it('turns a 404 into a clear error with the status and the URL', async () => {
    const catalog = [catalogEntry({ fileName: 'missing.txt' })];
    const error = (await pullModel('test-model', { cacheDir, baseUrl, catalog }).catch(
      (caught) => caught,
    )) as BilevelError;
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain(`${baseUrl}/missing.txt`);
    expect(existsSync(join(cacheDir, 'missing.txt'))).toBe(false);
  });

  it('lists the catalog for an unknown name, before any request', async () => {
    await expect(pullModel('no-such-model', { cacheDir, baseUrl, catalog: [catalogEntry()] })).rejects.toMatchObject({
      code: 'MODEL_UNKNOWN',
      message: expect.stringContaining('test-model'),
    });
    expect(requests).toHaveLength(0);
  });
});

describe('modelCacheDir', () => {
  it('prefers BILEVEL_MODEL_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(modelCacheDir({ BILEVEL_MODEL_DIR: '/models', XDG_CACHE_HOME: '/xdg' })).toBe('/models');
    expect(modelCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/bilevel/models');
    expect(modelCacheDir({})).toMatch(/\.cache\/bilevel\/models$/);
  });
});
