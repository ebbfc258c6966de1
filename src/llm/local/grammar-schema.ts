// Rewrites a JSON Schema into what node-llama-cpp's grammar can enforce: anyOf as oneOf, bounded numbers as values.

type JsonSchema = Record<string, unknown>;

/** Most values a bounded integer range is spelled out as; a wider range becomes a grid of this many. */
const maxEnumeratedIntegers = 64;
/** Values in the grid offered for a bounded non-integer number (both ends included). */
const gridPoints = 25;

/**
 * node-llama-cpp builds its grammar from `oneOf`, `enum`, `const`, objects, arrays and plain types; it reads no
 * `anyOf` (an `anyOf` value came out as `null`) and cannot bound a number (`minimum`/`maximum` are dropped, and
 * its integers take exponents). So: `anyOf` becomes `oneOf`; a bounded integer becomes the enum of its values
 * (a grid when the range is wide); a bounded number becomes a grid of values across the range, log-spaced when it
 * spans a decade or more of positive values. The reply is still validated by the caller against the full schema.
 */
export function grammarSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(grammarSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as JsonSchema;
  const bounded = boundedNumberValues(node);
  if (bounded !== undefined) {
    const { minimum: _minimum, maximum: _maximum, type: _type, ...rest } = node;
    return { ...rest, enum: bounded };
  }
  const rewritten: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const') rewritten[key] = value;
    else rewritten[key === 'anyOf' ? 'oneOf' : key] = grammarSchema(value);
  }
  return rewritten;
}

function boundedNumberValues(node: JsonSchema): number[] | undefined {
  const { type, minimum, maximum } = node;
  if (type !== 'number' && type !== 'integer') return undefined;
  if (typeof minimum !== 'number' || typeof maximum !== 'number' || !(minimum <= maximum)) return undefined;
  if (!Number.isFinite(minimum) || !Number.isFinite(maximum) || node.enum !== undefined) return undefined;
  if (type === 'integer') {
    const low = Math.ceil(minimum);
    const high = Math.floor(maximum);
    if (low > high) return undefined;
    if (high - low + 1 <= maxEnumeratedIntegers)
      return Array.from({ length: high - low + 1 }, (_, index) => low + index);
    return unique(grid(low, high, maxEnumeratedIntegers).map(Math.round));
  }
  return unique(grid(minimum, maximum, gridPoints).map((value) => roundInside(value, minimum, maximum)));
}

/** `count` points from `low` to `high`, both included: log-spaced over a decade or more of positive values. */
function grid(low: number, high: number, count: number): number[] {
  if (low === high) return [low];
  const logSpaced = low > 0 && high / low >= 10;
  return Array.from({ length: count }, (_, index) => {
    const share = index / (count - 1);
    if (index === 0) return low;
    if (index === count - 1) return high;
    return logSpaced ? low * (high / low) ** share : low + (high - low) * share;
  });
}

/** Three significant digits, unless that leaves the range (then the value as it is). */
function roundInside(value: number, low: number, high: number): number {
  const rounded = Number(value.toPrecision(3));
  return rounded >= low && rounded <= high ? rounded : value;
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}
