// The LLM proposer on the tiny random-weight GGUF the test writes (grammar-constrained decoding): the schema built
// from the task's params makes nearly every proposal valid; the shape-only schema it replaced made almost none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticContext } from '../../test/fixtures/llm-proposer-fixtures.js';
import { tinyLlamaByteTokenId, writeTinyLlamaGguf } from '../../test/helpers/write-tiny-llama-gguf.js';
import { createLocalModel } from '../llm/local/create-local-model.js';
import { isNodeLlamaCppAvailable, nodeLlamaCppInstallHint } from '../llm/local/load-node-llama-cpp.js';
import { disposeLocalModels } from '../llm/local/local-model-pool.js';
import { generateStructured } from '../llm/structured.js';
import { loadTask } from '../task/load-task.js';
import { renderProposalPrompt } from './llm-proposal-prompt.js';
import { paramsProposalFrom, paramsReplySchema } from './llm-proposal-reply.js';
import { createLlmProposer } from './llm-proposer.js';

const available = isNodeLlamaCppAvailable();
if (!available)
  console.log(`note: node-llama-cpp not found, the tiny-GGUF proposer test is skipped: ${nodeLlamaCppInstallHint}`);

const directory = await mkdtemp(join(tmpdir(), 'bilevel-proposer-gguf-'));
afterAll(async () => {
  await disposeLocalModels();
  await rm(directory, { recursive: true, force: true });
});

/** Random weights drift into bytes 0x80–0xFF (invalid UTF-8); banning them keeps the output text valid. */
const banHighBytes = new Map<number, 'never'>(
  Array.from({ length: 128 }, (_, index) => [tinyLlamaByteTokenId(0x80 + index), 'never'] as const),
);
/** Proposals asked with the params-derived schema (one seed each), and with the shape-only one (slower: cut-offs). */
const proposals = 10;
const shapeOnlyProposals = 4;

describe.skipIf(!available)('LLM proposer on the tiny random-weight GGUF (grammar-constrained)', () => {
  it(`at least 95% of ${proposals} proposals on the synthetic task pass validation with the params-derived schema; the shape-only schema passes under half`, async () => {
    const path = join(directory, 'tiny.gguf');
    await writeTinyLlamaGguf(path, { seed: 11, contextLength: 8192 });
    const model = await createLocalModel(path, { tokenBias: banHighBytes });
    const task = await loadTask('synthetic');
    const frozen = ['ADAM_BETA2'];
    const contextFor = (seed: number) =>
      syntheticContext({
        params: task.params,
        current: task.defaults,
        seed,
        settings: { frozen, strategy: 'balanced', guidance: '' },
      });

    const started = performance.now();
    const proposer = createLlmProposer({ model, mode: 'params' });
    const valid: string[] = [];
    const reasons: string[] = [];
    for (let seed = 1; seed <= proposals; seed++) {
      const result = await proposer.propose(contextFor(seed));
      if (result.ok && result.proposal.kind === 'params') valid.push(Object.keys(result.proposal.values).join('+'));
      else if (!result.ok) reasons.push(result.reason);
    }

    const derivedMs = performance.now() - started;
    // The schema it replaced: `name: string`, `value: number | string | boolean`, the same prompt and checks.
    let shapeOnlyValid = 0;
    for (let seed = 1; seed <= shapeOnlyProposals; seed++) {
      const context = contextFor(seed);
      const rendered = renderProposalPrompt(context);
      const reply = await generateStructured(
        model,
        paramsReplySchema,
        {
          role: 'propose',
          schemaName: 'params_proposal',
          system: rendered.system,
          messages: [{ role: 'user', content: rendered.user }],
          temperature: 0.7,
          seed,
          maxOutputTokens: 1500,
        },
        { maxAttempts: 1 },
      );
      if (reply.ok && paramsProposalFrom(reply.value, task.params, task.defaults, frozen).ok) shapeOnlyValid++;
    }
    console.log(
      `tiny GGUF, synthetic task: params-derived schema ${valid.length}/${proposals} valid, shape-only schema ${shapeOnlyValid}/${shapeOnlyProposals} valid (${Math.round(derivedMs)} ms, ${Math.round(performance.now() - started - derivedMs)} ms)`,
    );
    expect(valid.length / proposals, reasons.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(shapeOnlyValid / shapeOnlyProposals).toBeLessThan(0.5);
    // Not one param over and over: the grammar leaves the choice of param to the model.
    expect(new Set(valid).size).toBeGreaterThan(3);
    // The frozen param is not in the schema, so it is never proposed.
    expect(valid.some((names) => names.includes('ADAM_BETA2'))).toBe(false);
  }, 300_000);
});
