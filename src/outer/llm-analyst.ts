// The paper's Level 1.5 analyst: one LLM call per cycle with the trace and a per-param table; a bad reply keeps the settings.

import { loadPrompt, renderTemplate } from '../core/prompts.js';
import { isRunStop } from '../inner/stop-rule.js';
import type { LanguageModel } from '../llm/language-model.js';
import { isLlmCallError } from '../llm/llm-call-error.js';
import { generateStructured, type StructuredResult } from '../llm/structured.js';
import { freezeSettings } from '../records/settings-snapshot.js';
import type { Analyst, AnalystInput, AnalystResult } from './analyst.js';
import { analyzePromptVariables } from './analyze-prompt.js';
import { type AnalystReply, analystReplySchema, applyAnalystReply } from './llm-reply.js';

/** The prompt file (`prompts/analyze.md`); record `loadPrompt(analyzePromptName).sha256` with the run. */
export const analyzePromptName = 'analyze';

export interface LlmAnalystOptions {
  model: LanguageModel;
  /** Recent trials shown in the prompt (the param table always covers the whole trace). Default 20. */
  historyLimit?: number;
  /** Params that must stay unfrozen, whatever the reply says. Default 3. */
  minActive?: number;
  /** Tries at a schema-valid reply, the reason fed back each time. Default 2. */
  maxAttempts?: number;
  /** Reply length cap, in tokens. Default 1500. */
  maxOutputTokens?: number;
  /** Sampling temperature. Default 0 (the most repeatable replies). */
  temperature?: number;
}

export function createLlmAnalyst(options: LlmAnalystOptions): Analyst {
  const historyLimit = options.historyLimit ?? 20;
  const minActive = options.minActive ?? 3;

  function failed(input: AnalystInput, error: string): AnalystResult {
    return { settings: freezeSettings(input.settings), rationale: '', changes: [], ok: false, error };
  }

  async function analyze(input: AnalystInput): Promise<AnalystResult> {
    const prompt = loadPrompt(analyzePromptName);
    const content = renderTemplate(prompt.text, analyzePromptVariables(input, { historyLimit, minActive }));
    let reply: StructuredResult<AnalystReply>;
    try {
      reply = await generateStructured(
        options.model,
        analystReplySchema,
        {
          role: 'analyze',
          schemaName: 'search_settings',
          messages: [{ role: 'user', content }],
          maxOutputTokens: options.maxOutputTokens ?? 1500,
          temperature: options.temperature ?? 0,
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        },
        { maxAttempts: options.maxAttempts ?? 2 },
      );
    } catch (error) {
      // A failed call (after the model's own retries) costs this cycle only; an abort still stops the run.
      if (isLlmCallError(error) && !isRunStop(error, input.signal))
        return failed(input, `the analyze call failed: ${error.message}`);
      throw error;
    }
    if (!reply.ok) {
      return failed(input, `no usable reply after ${reply.attempts} attempt(s): ${reply.reason}`);
    }
    return applyAnalystReply(reply.value, { params: input.params, settings: input.settings, minActive });
  }

  return { specificationVersion: 'analyst-v1', name: 'llm', analyze };
}
