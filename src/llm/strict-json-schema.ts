// Whether a JSON Schema fits OpenAI's strict structured-output mode (every object closed, every property required).

/**
 * True when every object in `schema` lists all its properties as required and sets
 * `additionalProperties: false`; strict mode refuses other schemas, so those are sent non-strict.
 */
export function isStrictJsonSchema(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictJsonSchema);
  if (schema === null || typeof schema !== 'object') return true;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties !== undefined) {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    if (node.additionalProperties !== false) return false;
    if (!Object.keys(properties).every((key) => required.has(key))) return false;
  }
  return Object.entries(node).every(
    ([key, value]) => key === 'required' || key === 'enum' || isStrictJsonSchema(value),
  );
}
