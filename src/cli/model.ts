// `bilevel model pull [NAME]` and `bilevel model list`: download local GGUF models into the cache, and show them.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { modelCacheDir, readCompleteDownload } from '../llm/local/model-cache.js';
import { defaultModelName, findCatalogModel, modelCatalog } from '../llm/local/model-catalog.js';
import { pullModel } from '../llm/local/pull-model.js';

/** Where the command writes: results to stdout, progress to stderr. */
export interface ModelCommandOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface PullOptions {
  dir?: string;
  json?: boolean;
  baseUrl?: string;
}

interface ListOptions {
  dir?: string;
  json?: boolean;
}

/** Adds `model pull` and `model list` to `program`; returns the `model` command. */
export function registerModelCommand(
  program: Command,
  output: ModelCommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Command {
  const model = program.command('model').description('download and list local GGUF models (run without an API key)');
  model
    .command('pull')
    .description(`download a model into the cache (default: ${defaultModelName})`)
    .argument('[name]', 'a model from `bilevel model list`')
    .option('--dir <dir>', 'model cache directory (default: BILEVEL_MODEL_DIR, else ~/.cache/bilevel/models)')
    .option('--base-url <url>', 'download from a mirror that serves the same file names')
    .option('--json', 'print one JSON object when done')
    .action((name: string | undefined, options: PullOptions) => pull(name, options, output));
  model
    .command('list')
    .description('show the downloadable models and which are in the cache')
    .option('--dir <dir>', 'model cache directory (default: BILEVEL_MODEL_DIR, else ~/.cache/bilevel/models)')
    .option('--json', 'print JSON')
    .action((options: ListOptions) => list(options, output));
  return model;
}

function cacheDirFrom(options: { dir?: string }): string {
  return options.dir === undefined ? modelCacheDir() : resolve(options.dir);
}

async function pull(name: string | undefined, options: PullOptions, output: ModelCommandOutput): Promise<void> {
  const entry = findCatalogModel(name ?? defaultModelName);
  const cacheDir = cacheDirFrom(options);
  const progress = createDownloadProgress(entry.name, output.stderr, options.json === true);
  if (!options.json) output.stderr.write(`downloading ${entry.name} (${entry.license}) into ${cacheDir}\n`);
  const pulled = await pullModel(entry.name, {
    cacheDir,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    onProgress: progress.update,
  }).finally(progress.done);
  const llm = `local:${pulled.path}`;
  if (options.json) {
    output.stdout.write(`${JSON.stringify({ name: entry.name, llm, ...pulled })}\n`);
    return;
  }
  const verb = pulled.downloaded ? 'saved' : 'already cached:';
  output.stdout.write(`${verb} ${entry.name} at ${pulled.path} (${megabytes(pulled.bytes)})\n`);
  output.stdout.write(
    pulled.verified
      ? `sha256 ${pulled.sha256} (matches the catalog)\n`
      : `sha256 ${pulled.sha256} (unverified: the catalog pins no hash for this model)\n`,
  );
  output.stdout.write(`use it with --llm ${llm}; \`bilevel run\` picks it up when no API key is set\n`);
}

/** One updating line on a terminal; a line per 10% otherwise; nothing with --json. */
function createDownloadProgress(name: string, stream: ModelCommandOutput['stderr'], quiet: boolean) {
  const interactive = stream.isTTY === true;
  const started = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done: number, total: number | undefined): void {
      if (quiet) return;
      const percent = total ? Math.floor((done / total) * 100) : undefined;
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const line = `${name}: ${percent === undefined ? '' : `${percent}% `}${megabytes(done)}${total ? ` of ${megabytes(total)}` : ''}`;
      if (interactive) {
        if (Date.now() - lastDraw < 100 && done !== total) return;
        lastDraw = Date.now();
        drawn = true;
        stream.write(`\r${line}  ${megabytes(done / seconds)}/s   `);
        return;
      }
      const decile = percent === undefined ? Math.floor(done / 100_000_000) : Math.floor(percent / 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${line}\n`);
      }
    },
    done(): void {
      if (interactive && drawn) stream.write('\n');
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function list(options: ListOptions, output: ModelCommandOutput): void {
  const cacheDir = cacheDirFrom(options);
  const models = modelCatalog.map((entry) => {
    const record = readCompleteDownload(entry, cacheDir);
    return {
      name: entry.name,
      default: entry.name === defaultModelName,
      description: entry.description,
      license: entry.license,
      url: entry.url,
      sizeBytes: entry.sizeBytes ?? null,
      sha256: entry.sha256 ?? null,
      cached: record !== undefined,
      path: record === undefined ? null : join(cacheDir, entry.fileName),
    };
  });
  if (options.json) {
    output.stdout.write(`${JSON.stringify({ cacheDir, models })}\n`);
    return;
  }
  output.stdout.write(`model cache: ${cacheDir}\n`);
  for (const model of models) {
    const flags = [model.default ? 'default' : undefined, model.cached ? 'cached' : 'not downloaded'].filter(Boolean);
    output.stdout.write(`${model.name}  [${flags.join(', ')}]  ${model.license}\n  ${model.description}\n`);
    if (model.path !== null) output.stdout.write(`  --llm local:${model.path}\n`);
  }
}
