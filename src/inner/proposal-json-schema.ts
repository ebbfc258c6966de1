// The JSON Schema sent with a params proposal, built from the task's params: each name an enum, each value typed.
import { toJsonSchema } from '../llm/structured.js';
import type { ParamSpec } from '../task/task-definition.js';
import { paramsReplySchema } from './llm-proposal-reply.js';

type JsonSchema = Record<string, unknown>;

/**
 * The schema a server that decodes under a grammar (llama.cpp, vLLM guided decoding, Ollama's `format`, the
 * local runtime) can only fill with a valid proposal: `values` items are one branch per unfrozen param, its
 * `name` a one-value enum and its `value` typed from the param (range and integer flag, or the choices). The
 * reply is still checked after decoding (providers drop keywords they do not enforce). With every param frozen
 * the shape-only schema is sent, and the reply is rejected with the reason as before.
 */
export function paramsProposalJsonSchema(params: readonly ParamSpec[], frozen: readonly string[]): JsonSchema {
  const open = params.filter((param) => !frozen.includes(param.name));
  if (open.length === 0) return toJsonSchema(paramsReplySchema);
  const branches = open.map(
    (param): JsonSchema => ({
      type: 'object',
      properties: { name: { type: 'string', enum: [param.name] }, value: valueSchema(param) },
      required: ['name', 'value'],
      additionalProperties: false,
    }),
  );
  return {
    type: 'object',
    properties: {
      summary: { type: 'string', description: 'one line, at most 100 characters' },
      rationale: { type: 'string', description: 'why this should improve the metric, one to three sentences' },
      values: {
        type: 'array',
        description: 'only the parameters to change, each at most once',
        items: branches.length === 1 ? branches[0] : { anyOf: branches },
        minItems: 1,
        maxItems: open.length,
      },
    },
    required: ['summary', 'rationale', 'values'],
    additionalProperties: false,
  };
}

function valueSchema(param: ParamSpec): JsonSchema {
  if (param.type === 'number') {
    return { type: param.integer ? 'integer' : 'number', minimum: param.min, maximum: param.max };
  }
  const types = [...new Set(param.choices.map((choice) => typeof choice))];
  return { type: types.length === 1 ? types[0] : types, enum: [...param.choices] };
}
