// Downloads a catalog model into the cache: streams to `<file>.part`, resumes with Range, verifies, renames atomically.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BilevelError } from '../../core/errors.js';
import { type DownloadRecord, downloadRecordPath, modelCacheDir, readCompleteDownload } from './model-cache.js';
import { type CatalogModel, findCatalogModel, modelCatalog } from './model-catalog.js';

export interface PullModelOptions {
  /** Where models are kept; default modelCacheDir(). */
  cacheDir?: string;
  /** Download from `<baseUrl>/<fileName>` instead of the catalog URL (a mirror, or a test server). */
  baseUrl?: string;
  /** Called as bytes arrive: bytes on disk so far, and the full size when known. */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Aborts the download; the `.part` file is kept so the next pull resumes. */
  signal?: AbortSignal;
  /** The catalog to look `name` up in (tests pass their own). */
  catalog?: readonly CatalogModel[];
}

export interface PulledModel {
  /** Absolute path of the complete .gguf file. */
  path: string;
  /** File size in bytes. */
  bytes: number;
  /** Hex SHA-256 of the file. */
  sha256: string;
  /** True when the hash matched a pinned value in the catalog. */
  verified: boolean;
  /** False when the file was already complete in the cache. */
  downloaded: boolean;
}

function failure(message: string, hint: string, cause?: unknown): BilevelError {
  return new BilevelError('MODEL_DOWNLOAD_FAILED', message, cause === undefined ? { hint } : { hint, cause });
}

const resumeHint = 'run the same command again: it resumes from the partial download';

/** Downloads catalog model `name` (default: the default model) unless it is already complete in the cache. */
export async function pullModel(name: string | undefined, options: PullModelOptions = {}): Promise<PulledModel> {
  const model = findCatalogModel(name, options.catalog ?? modelCatalog);
  const cacheDir = options.cacheDir === undefined ? modelCacheDir() : resolve(options.cacheDir);
  const path = join(cacheDir, model.fileName);
  const cached = readCompleteDownload(model, cacheDir);
  if (cached !== undefined) {
    return { path, bytes: cached.bytes, sha256: cached.sha256, verified: cached.verified, downloaded: false };
  }
  await mkdir(cacheDir, { recursive: true });
  const url = options.baseUrl === undefined ? model.url : new URL(model.fileName, withSlash(options.baseUrl)).href;
  const partPath = `${path}.part`;
  const { bytes, hash } = await download(url, partPath, model, options);
  await verify(partPath, model, bytes, hash);
  const record: DownloadRecord = {
    name: model.name,
    url,
    bytes,
    sha256: hash,
    verified: model.sha256 !== undefined,
    downloadedAt: new Date().toISOString(),
  };
  // The record goes first and the rename last: a .gguf under its final name is always complete.
  await writeFile(downloadRecordPath(path), `${JSON.stringify(record, null, 2)}\n`);
  await rename(partPath, path);
  return { path, bytes, sha256: hash, verified: record.verified, downloaded: true };
}

function withSlash(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Hashes the bytes already in `path` so a resumed download still yields the whole file's SHA-256. */
async function hashExisting(path: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

/** Fetches into `partPath`, appending after what is there when the server honours a Range request. */
async function download(
  url: string,
  partPath: string,
  model: CatalogModel,
  options: PullModelOptions,
): Promise<{ bytes: number; hash: string }> {
  let offset = await sizeOf(partPath);
  if (model.sizeBytes !== undefined && offset > model.sizeBytes) {
    await rm(partPath, { force: true });
    offset = 0;
  }
  let response = await request(url, offset, options.signal);
  if (offset > 0 && response.status === 416) {
    // Nothing left to fetch, or a stale partial file: start over once.
    await response.body?.cancel();
    await rm(partPath, { force: true });
    offset = 0;
    response = await request(url, 0, options.signal);
  }
  if (offset > 0 && response.status === 200) {
    // The server ignored Range and sends the whole file.
    await rm(partPath, { force: true });
    offset = 0;
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw failure(
      `downloading ${model.name} failed: HTTP ${response.status} ${response.statusText} from ${url}`,
      response.status === 404
        ? 'the file is not at that address: check the model name, or --base-url if you use a mirror'
        : 'check your network or try again later',
    );
  }
  if (response.status === 206 && contentRangeStart(response) !== offset) {
    await response.body?.cancel();
    await rm(partPath, { force: true });
    throw failure(`downloading ${model.name} failed: the server resumed at the wrong offset`, resumeHint);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = model.sizeBytes ?? (Number.isFinite(length) ? offset + length : undefined);
  const hash = offset > 0 ? await hashExisting(partPath) : createHash('sha256');
  const file = await open(partPath, offset > 0 ? 'a' : 'w');
  let done = offset;
  try {
    if (response.body === null)
      throw failure(`downloading ${model.name} failed: empty response from ${url}`, resumeHint);
    for await (const chunk of response.body) {
      await file.write(chunk);
      hash.update(chunk);
      done += chunk.length;
      options.onProgress?.(done, total);
    }
  } catch (error) {
    if (error instanceof BilevelError) throw error;
    throw failure(
      `downloading ${model.name} stopped at ${done} of ${total ?? '?'} bytes: ${String(error)}`,
      resumeHint,
      error,
    );
  } finally {
    await file.close();
  }
  if (total !== undefined && done < total) {
    throw failure(`downloading ${model.name} stopped at ${done} of ${total} bytes`, resumeHint);
  }
  return { bytes: done, hash: hash.digest('hex') };
}

async function request(url: string, offset: number, signal: AbortSignal | undefined): Promise<Response> {
  try {
    return await fetch(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      redirect: 'follow',
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    throw failure(`cannot reach ${url}: ${String(error)}`, 'check your network, or use --base-url for a mirror', error);
  }
}

function contentRangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Size, GGUF magic and (when pinned) SHA-256; a file that fails is deleted, never renamed into place. */
async function verify(partPath: string, model: CatalogModel, bytes: number, hash: string): Promise<void> {
  const reject = async (message: string): Promise<never> => {
    await rm(partPath, { force: true });
    throw failure(`downloaded ${model.name} is not valid: ${message}`, 'run the command again to download it afresh');
  };
  if (model.sizeBytes !== undefined && bytes !== model.sizeBytes) {
    await reject(`${bytes} bytes, expected ${model.sizeBytes}`);
  }
  if (model.sha256 !== undefined && hash !== model.sha256.toLowerCase()) {
    await reject(`SHA-256 ${hash}, expected ${model.sha256}`);
  }
  const file = await open(partPath, 'r');
  const magic = Buffer.alloc(4);
  try {
    await file.read(magic, 0, 4, 0);
  } finally {
    await file.close();
  }
  if (magic.toString('latin1') !== 'GGUF') await reject('it does not start with the GGUF magic (an error page?)');
}
