// Records every successful exchange of a model into a cassette (JSON lines), so a run can be replayed offline.
import { cassetteWriter, requestForHash, requestHash } from './cassette.js';
import type { LanguageModel } from './language-model.js';
import { wrapModel } from './wrap-model.js';

/**
 * Passes calls through to `model` and appends each reply to `cassettePath`. Only the request content and the
 * reply are written, never headers or keys; environment secrets are redacted in case a prompt quotes one.
 */
export function withRecording(
  model: LanguageModel,
  cassettePath: string,
  options: { env?: NodeJS.ProcessEnv } = {},
): LanguageModel {
  const writer = cassetteWriter(cassettePath, options.env ?? process.env);
  return wrapModel(model, async (request) => {
    const supportsJsonSchema = model.supportsJsonSchema;
    const response = await model.generate(request);
    writer.append({
      hash: requestHash(request),
      provider: model.provider,
      modelId: model.modelId,
      supportsJsonSchema,
      request: requestForHash(request),
      response: {
        text: response.text,
        finishReason: response.finishReason,
        usage: response.usage,
        latencyMs: response.latencyMs,
      },
    });
    return response;
  });
}
