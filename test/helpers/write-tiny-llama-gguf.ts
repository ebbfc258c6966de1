// A tiny random-weight llama model in GGUF (~0.5 MB), generated at test time to exercise the local provider.
import { createRng } from '../../src/core/rng.js';
import { type GgufTensor, type GgufValue, writeGguf } from './write-gguf.js';

/** Shape of the tiny model: small enough to load in milliseconds and generate ~1,000+ tokens/s on one thread. */
export const tinyLlamaShape = {
  embeddingLength: 64,
  blockCount: 2,
  headCount: 4,
  feedForwardLength: 128,
  contextLength: 2048,
} as const;

/** SentencePiece token types, as llama.cpp reads them from `tokenizer.ggml.token_type`. */
const tokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** The space marker SentencePiece uses inside pieces. */
const spaceMarker = '\u2581';

/** Id of the byte-fallback token `<0xXX>` for `byte` (0–255). */
export function tinyLlamaByteTokenId(byte: number): number {
  return 3 + byte;
}

/** The vocabulary: `<unk>`, `<s>`, `</s>`, 256 byte tokens, then `▁` and the 94 printable ASCII characters. */
export function tinyLlamaVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types: number[] = [tokenType.unknown, tokenType.control, tokenType.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(tokenType.byte);
  }
  tokens.push(spaceMarker);
  types.push(tokenType.normal);
  for (let code = 0x21; code <= 0x7e; code++) {
    tokens.push(String.fromCharCode(code));
    types.push(tokenType.normal);
  }
  const scores = tokens.map((_, index) => (types[index] === tokenType.normal ? -index : 0));
  return { tokens, scores, types };
}

/** A minimal Jinja chat template: `role: content</s>` per message, then `assistant: `. */
const chatTemplate =
  "{% for message in messages %}{{ message['role'] + ': ' + message['content'] + eos_token }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}";

function u32(value: number): GgufValue {
  return { type: 'uint32', value };
}

/**
 * Writes the tiny llama GGUF to `path`; the same seed always gives the same bytes. `contextLength` (tokens, default
 * 2048) is the training context the runtime sizes its window from: a whole proposer prompt needs ~8192.
 */
export async function writeTinyLlamaGguf(
  path: string,
  options: { seed?: number; contextLength?: number } = {},
): Promise<void> {
  const rng = createRng(options.seed ?? 1);
  const { embeddingLength, blockCount, headCount, feedForwardLength } = tinyLlamaShape;
  const contextLength = options.contextLength ?? tinyLlamaShape.contextLength;
  const vocabulary = tinyLlamaVocabulary();
  const vocabularySize = vocabulary.tokens.length;

  const random = (dimensions: number[], scale: number): Float32Array => {
    const data = new Float32Array(dimensions.reduce((product, dimension) => product * dimension, 1));
    for (let index = 0; index < data.length; index++) data[index] = (rng.next() * 2 - 1) * scale;
    return data;
  };
  const ones = (length: number): Float32Array => new Float32Array(length).fill(1);
  const tensor = (name: string, dimensions: number[], data: Float32Array): GgufTensor => ({ name, dimensions, data });

  const tensors: GgufTensor[] = [
    tensor('token_embd.weight', [embeddingLength, vocabularySize], random([embeddingLength, vocabularySize], 0.5)),
    tensor('output_norm.weight', [embeddingLength], ones(embeddingLength)),
    tensor('output.weight', [embeddingLength, vocabularySize], random([embeddingLength, vocabularySize], 0.5)),
  ];
  const square = [embeddingLength, embeddingLength];
  for (let block = 0; block < blockCount; block++) {
    const prefix = `blk.${block}.`;
    tensors.push(
      tensor(`${prefix}attn_norm.weight`, [embeddingLength], ones(embeddingLength)),
      tensor(`${prefix}attn_q.weight`, square, random(square, 0.2)),
      tensor(`${prefix}attn_k.weight`, square, random(square, 0.2)),
      tensor(`${prefix}attn_v.weight`, square, random(square, 0.2)),
      tensor(`${prefix}attn_output.weight`, square, random(square, 0.2)),
      tensor(`${prefix}ffn_norm.weight`, [embeddingLength], ones(embeddingLength)),
      tensor(`${prefix}ffn_gate.weight`, [embeddingLength, feedForwardLength], random([64, 128], 0.2)),
      tensor(`${prefix}ffn_up.weight`, [embeddingLength, feedForwardLength], random([64, 128], 0.2)),
      tensor(`${prefix}ffn_down.weight`, [feedForwardLength, embeddingLength], random([128, 64], 0.2)),
    );
  }

  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'bilevel tiny random llama' }],
    ['general.file_type', u32(0)],
    ['general.alignment', u32(32)],
    ['llama.context_length', u32(contextLength)],
    ['llama.embedding_length', u32(embeddingLength)],
    ['llama.block_count', u32(blockCount)],
    ['llama.feed_forward_length', u32(feedForwardLength)],
    ['llama.attention.head_count', u32(headCount)],
    ['llama.attention.head_count_kv', u32(headCount)],
    ['llama.rope.dimension_count', u32(embeddingLength / headCount)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['llama.vocab_size', u32(vocabularySize)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'float32', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: vocabulary.types }],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: chatTemplate }],
  ]);
  await writeGguf(path, { metadata, tensors, alignment: 32 });
}
