// Empty-reply detection: an empty text turns into a retryable failure (not an outage); a cut-off reply passes, marked.
import type { LanguageModel } from './language-model.js';
import { LlmCallError } from './llm-call-error.js';
import { wrapModel } from './wrap-model.js';

/**
 * Throws a retryable `empty` LlmCallError when a reply has no text (and was not cut off at the token limit,
 * which is reported as `finishReason: 'length'` for the caller to handle).
 */
export function withReplyCheck(model: LanguageModel): LanguageModel {
  return wrapModel(model, async (request) => {
    const response = await model.generate(request);
    if (response.text.trim() === '' && response.finishReason !== 'length') {
      throw new LlmCallError('empty', `the model returned an empty reply (finish reason: ${response.finishReason})`, {
        hint: 'Check that the model id is a chat model and the server is healthy.',
      });
    }
    return response;
  });
}
