// Builds a model wrapper (retry, timeout, accounting, …): same identity as the wrapped model, a new `generate`.
import type { GenerateRequest, GenerateResponse, LanguageModel } from './language-model.js';

export function wrapModel(
  model: LanguageModel,
  generate: (request: GenerateRequest) => Promise<GenerateResponse>,
): LanguageModel {
  return {
    specificationVersion: 'language-model-v1',
    provider: model.provider,
    modelId: model.modelId,
    get supportsJsonSchema() {
      return model.supportsJsonSchema;
    },
    generate,
  };
}
