// Picks the Level 1.5 analyst: the LLM analyst when a model is configured, else the deterministic rules.
import { BilevelError } from '../core/errors.js';
import type { LanguageModel } from '../llm/language-model.js';
import type { Analyst } from './analyst.js';
import { createLlmAnalyst, type LlmAnalystOptions } from './llm-analyst.js';
import { createRulesAnalyst, type RulesAnalystOptions } from './rules-analyst.js';

export interface CreateAnalystOptions {
  /** `rules` or `llm`; default `llm` when `model` is given, else `rules`. */
  kind?: 'rules' | 'llm';
  /** The model for the `analyze` role; none means no LLM is configured. */
  model?: LanguageModel;
  rules?: RulesAnalystOptions;
  llm?: Omit<LlmAnalystOptions, 'model'>;
}

export function createAnalyst(options: CreateAnalystOptions = {}): Analyst {
  const kind = options.kind ?? (options.model === undefined ? 'rules' : 'llm');
  if (kind === 'rules') return createRulesAnalyst(options.rules);
  if (options.model === undefined) {
    throw new BilevelError('LLM_NOT_CONFIGURED', 'the llm analyst for Level 1.5 needs a language model', {
      hint: 'pass --llm provider:model, or use the rules analyst (no LLM needed)',
    });
  }
  return createLlmAnalyst({ ...options.llm, model: options.model });
}
