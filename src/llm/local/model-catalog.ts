// The named GGUF models `bilevel model pull` can download, with where they come from and how they are checked.
import { BilevelError } from '../../core/errors.js';

export interface CatalogModel {
  /** What users type: `bilevel model pull NAME`. */
  name: string;
  description: string;
  /** Where the file is downloaded from. */
  url: string;
  /** The file name in the cache directory. */
  fileName: string;
  /** Exact size in bytes; undefined when not pinned (then the server's Content-Length is checked instead). */
  sizeBytes?: number;
  /** Hex SHA-256 of the file; undefined means the download is unverified (only size and GGUF magic are checked). */
  sha256?: string;
  /** License of the weights (SPDX id). */
  license: string;
}

/**
 * Qwen2.5-Coder Instruct (Qwen team, arXiv 2409.12186), GGUF builds from the official Hugging Face repositories.
 * Sizes and hashes are not pinned here because they could not be checked when this list was written:
 * those downloads are marked unverified.
 */
export const modelCatalog: readonly CatalogModel[] = [
  {
    name: 'qwen2.5-coder-1.5b-instruct-q4_k_m',
    description: 'Qwen2.5-Coder 1.5B Instruct, 4-bit (~1 GB): the default; follows JSON schemas well on a CPU',
    url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    fileName: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    license: 'Apache-2.0',
  },
  {
    name: 'qwen2.5-coder-0.5b-instruct-q8_0',
    description: 'Qwen2.5-Coder 0.5B Instruct, 8-bit (~0.5 GB): faster and weaker',
    url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-0.5b-instruct-q8_0.gguf',
    fileName: 'qwen2.5-coder-0.5b-instruct-q8_0.gguf',
    license: 'Apache-2.0',
  },
];

/** The model `bilevel model pull` fetches with no NAME, and that `run` uses when no API key is set. */
export const defaultModelName = 'qwen2.5-coder-1.5b-instruct-q4_k_m';

/** The catalog entry called `name` (default: the default model); MODEL_UNKNOWN lists the catalog otherwise. */
export function findCatalogModel(
  name: string = defaultModelName,
  catalog: readonly CatalogModel[] = modelCatalog,
): CatalogModel {
  const model = catalog.find((entry) => entry.name === name);
  if (model === undefined) {
    const names = catalog.map((entry) => entry.name).join(', ');
    throw new BilevelError('MODEL_UNKNOWN', `no model called '${name}' in the catalog (available: ${names})`, {
      hint: 'run `bilevel model list` to see the models, or pass any .gguf file with `--llm local:PATH.gguf`',
    });
  }
  return model;
}
