/**
 * AJV applies `default` only outside anyOf/oneOf, so `llm_labeling: {enabled: true}` (typed
 * `LLMLabeling | null`) would reach handlers without include_summary etc. pydantic fills nested
 * defaults, and stored cluster configs must hold them, so this walks a validated value and fills
 * the rest. Only call it after validation succeeded: it trusts the value's shape.
 */

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(schema: Schema, value: unknown): boolean {
  const declared = schema.type;
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  const actual = jsonTypeOf(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/**
 * The union branch a valid value went through. When several branches accept its JSON type the
 * choice is ambiguous and nothing is filled, rather than risk defaults from the wrong branch.
 * (No schema in this package has such a union with defaults inside.)
 */
function branchFor(branches: unknown[], value: unknown): Schema | undefined {
  const candidates = branches.filter((b): b is Schema => isSchema(b) && typeMatches(b, value));
  return candidates.length === 1 ? candidates[0] : undefined;
}

export function fillDefaults(schema: unknown, value: unknown): void {
  if (!isSchema(schema)) return;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) fillDefaults(branchFor(branches, value), value);
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) fillDefaults(part, value);

  if (Array.isArray(value)) {
    if (isSchema(schema.items)) for (const item of value) fillDefaults(schema.items, item);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (!isSchema(sub)) continue;
    if (value[key] === undefined && 'default' in sub) value[key] = structuredClone(sub.default);
    if (value[key] !== undefined) fillDefaults(sub, value[key]);
  }
  if (isSchema(schema.additionalProperties)) {
    for (const [key, item] of Object.entries(value)) {
      if (!Object.hasOwn(properties, key)) fillDefaults(schema.additionalProperties, item);
    }
  }
}
