// Where downloaded models live, and which of them are present and complete.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type CatalogModel, defaultModelName, findCatalogModel } from './model-catalog.js';

/** Written beside each finished download (`<file>.json`); its presence marks the download as complete. */
export const downloadRecordSchema = z.object({
  name: z.string(),
  url: z.string(),
  /** File size in bytes. */
  bytes: z.number().int().nonnegative(),
  /** Hex SHA-256 of the file. */
  sha256: z.string(),
  /** True when the hash was checked against a pinned value in the catalog. */
  verified: z.boolean(),
  /** ISO 8601 time the download finished. */
  downloadedAt: z.string(),
});
export type DownloadRecord = z.infer<typeof downloadRecordSchema>;

/** BILEVEL_MODEL_DIR, else $XDG_CACHE_HOME/bilevel/models, else ~/.cache/bilevel/models (absolute). */
export function modelCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.BILEVEL_MODEL_DIR) return resolve(environment.BILEVEL_MODEL_DIR);
  const cacheHome = environment.XDG_CACHE_HOME ? environment.XDG_CACHE_HOME : join(homedir(), '.cache');
  return resolve(cacheHome, 'bilevel', 'models');
}

export function downloadRecordPath(modelPath: string): string {
  return `${modelPath}.json`;
}

/** The record of a finished download of `model` in `cacheDir`, or undefined when the model is absent or incomplete. */
export function readCompleteDownload(
  model: CatalogModel,
  cacheDir: string = modelCacheDir(),
): DownloadRecord | undefined {
  const path = join(cacheDir, model.fileName);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let record: DownloadRecord;
  try {
    record = downloadRecordSchema.parse(JSON.parse(readFileSync(downloadRecordPath(path), 'utf8')));
  } catch (error) {
    // No record (or a damaged one): the file was not finished by `bilevel model pull`.
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      error instanceof SyntaxError ||
      error instanceof z.ZodError
    ) {
      return undefined;
    }
    throw error;
  }
  const sizeMatches = record.bytes === size && (model.sizeBytes === undefined || model.sizeBytes === size);
  const hashMatches = model.sha256 === undefined || model.sha256 === record.sha256;
  return sizeMatches && hashMatches ? record : undefined;
}

/** `local:/abs/path.gguf` for the default model when it is downloaded and complete; undefined otherwise. */
export function findCachedDefaultModel(options: { cacheDir?: string; model?: CatalogModel } = {}): string | undefined {
  const model = options.model ?? findCatalogModel(defaultModelName);
  const cacheDir = options.cacheDir === undefined ? modelCacheDir() : resolve(options.cacheDir);
  return readCompleteDownload(model, cacheDir) === undefined ? undefined : `local:${join(cacheDir, model.fileName)}`;
}
