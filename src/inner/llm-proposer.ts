// The LLM proposer (Level 1): renders the prompt, asks for a structured reply, checks it into a Proposal.
import { loadPrompt, type PromptFile } from '../core/prompts.js';
import type { LanguageModel, LlmRole } from '../llm/language-model.js';
import { generateStructured } from '../llm/structured.js';
import type { Proposal } from '../records/proposal.js';
import { renderFixPrompt, renderProposalPrompt } from './llm-proposal-prompt.js';
import { codeProposalFrom, codeReplySchema, paramsProposalFrom, paramsReplySchema } from './llm-proposal-reply.js';
import { paramsProposalJsonSchema } from './proposal-json-schema.js';
import type { ProposalContext, Proposer, ProposerResult } from './proposer.js';
import { isProposalFailure } from './stop-rule.js';

export interface LlmProposerOptions {
  /** One model for proposing and fixing, or a router giving one per role (`propose`, `fix`). */
  model: LanguageModel | { forRole(role: LlmRole): LanguageModel };
  /** The run's proposal kind (wins over `context.task.mode`). */
  mode: 'params' | 'code';
  /** Rows in the prompt's recent-trials table (older trials are aggregated). Default 12. */
  historyLimit?: number;
  /** Crash fixes allowed per trial; `fixCrash` declines past it. Default 1. */
  maxFixAttempts?: number;
  /** Tries inside one `propose` call for a malformed reply (the loop adds its own retry with the reason). Default 1. */
  replyAttempts?: number;
  /** Sampling temperature. Default 0.7 (some diversity between trials). */
  temperature?: number;
  /** Most characters of editable files shown in code mode. Default 60000. */
  maxFileChars?: number;
  /** Reply length caps, in tokens. Defaults 1500 (params) and 8000 (code, fixes). */
  maxOutputTokens?: { params?: number; code?: number };
}

export interface LlmProposer extends Proposer {
  /** The prompt files this proposer uses, with their SHA-256 hashes, to record with the run. */
  readonly prompts: readonly Pick<PromptFile, 'name' | 'sha256'>[];
}

/**
 * Proposes with an LLM. A malformed reply, an unknown param, a value out of range, a frozen param or an edit that
 * cannot apply is returned as `{ ok: false, reason }` (a rejected trial); the loop's retry passes the reason back
 * in `context.feedback`, which the prompt shows. So is a call that failed with a malformed reply or an odd refusal
 * (after the model's own retries). Outages past the patience, refused configurations and budget stops are thrown
 * (`LLM_CALL_FAILED`, `LLM_BUDGET_EXHAUSTED`).
 */
export function createLlmProposer(options: LlmProposerOptions): LlmProposer {
  const modelFor = (role: LlmRole): LanguageModel =>
    'forRole' in options.model ? options.model.forRole(role) : options.model;
  const sizes = { historyLimit: options.historyLimit ?? 12, maxFileChars: options.maxFileChars ?? 60_000 };
  const maxFixAttempts = options.maxFixAttempts ?? 1;
  const temperature = options.temperature ?? 0.7;
  const proposeModel = modelFor('propose');
  const prompts = ['propose-params', 'propose-code', 'fix-crash'].map((name) => {
    const { sha256 } = loadPrompt(name);
    return { name, sha256 };
  });

  return {
    specificationVersion: 'proposer-v1',
    name: `llm:${proposeModel.provider}:${proposeModel.modelId}`,
    prompts,

    async propose(context: ProposalContext): Promise<ProposerResult> {
      const mode = options.mode;
      const rendered = renderProposalPrompt({ ...context, task: { ...context.task, mode } }, sizes);
      const request = {
        role: 'propose' as const,
        system: rendered.system,
        messages: [{ role: 'user' as const, content: rendered.user }],
        temperature,
        seed: context.seed,
        maxOutputTokens:
          mode === 'code' ? (options.maxOutputTokens?.code ?? 8000) : (options.maxOutputTokens?.params ?? 1500),
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      };
      const attempts = { maxAttempts: options.replyAttempts ?? 1 };
      const signal = context.signal;
      if (mode === 'params') {
        const sentSchema = paramsProposalJsonSchema(context.params, context.settings.frozen);
        const reply = await callFailureAsRejection(signal, () =>
          generateStructured(
            modelFor('propose'),
            paramsReplySchema,
            { ...request, schemaName: 'params_proposal', sentSchema },
            attempts,
          ),
        );
        if ('rejected' in reply) return reply.rejected;
        if (!reply.ok) return { ok: false, reason: `unusable reply: ${reply.reason}` };
        return paramsProposalFrom(reply.value, context.params, context.current, context.settings.frozen);
      }
      const reply = await callFailureAsRejection(signal, () =>
        generateStructured(modelFor('propose'), codeReplySchema, { ...request, schemaName: 'code_proposal' }, attempts),
      );
      if ('rejected' in reply) return reply.rejected;
      if (!reply.ok) return { ok: false, reason: `unusable reply: ${reply.reason}` };
      return codeProposalFrom(reply.value, context.files);
    },

    async fixCrash(
      context: ProposalContext & { proposal: Proposal; errorTail: string; fixAttempt: number },
    ): Promise<ProposerResult> {
      // fixAttempt counts from 0 (the first fix of a trial), as the loop passes it.
      if (context.fixAttempt >= maxFixAttempts) {
        return { ok: false, reason: `no crash fix tried: ${maxFixAttempts} fix attempt(s) allowed per trial` };
      }
      const rendered = renderFixPrompt(context, { ...sizes, maxFixAttempts });
      const reply = await callFailureAsRejection(context.signal, () =>
        generateStructured(
          modelFor('fix'),
          codeReplySchema,
          {
            role: 'fix',
            schemaName: 'crash_fix',
            system: rendered.system,
            messages: [{ role: 'user', content: rendered.user }],
            temperature: 0,
            seed: context.seed,
            maxOutputTokens: options.maxOutputTokens?.code ?? 8000,
            ...(context.signal === undefined ? {} : { signal: context.signal }),
          },
          { maxAttempts: options.replyAttempts ?? 1 },
        ),
      );
      if ('rejected' in reply) return reply.rejected;
      if (!reply.ok) return { ok: false, reason: `unusable crash-fix reply: ${reply.reason}` };
      return codeProposalFrom(reply.value, context.files);
    },
  };
}

/**
 * Runs one structured call; a failed call that costs only this proposal (a malformed reply after its retries, an odd
 * refusal) comes back as a rejection with the reason. Outages past the patience, configuration errors and stops are
 * thrown on to the loop, which ends the run as the stop rule says.
 */
async function callFailureAsRejection<T>(
  signal: AbortSignal | undefined,
  call: () => Promise<T>,
): Promise<T | { rejected: { ok: false; reason: string } }> {
  try {
    return await call();
  } catch (error) {
    if (!isProposalFailure(error, signal)) throw error;
    return { rejected: { ok: false, reason: (error as Error).message } };
  }
}
