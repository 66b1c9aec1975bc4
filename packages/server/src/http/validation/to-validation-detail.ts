/**
 * Turns AJV errors into FastAPI's 422 items (`{loc, msg, type}`) so Mixpeek clients, which parse
 * those, keep working. Types and wording follow pydantic v2; where pydantic's text leaves the fix
 * unclear (a quoted number in a JSON body, a misspelt key) a short hint is appended.
 */
import type { ErrorObject } from 'ajv';
import type { ValidationError } from '../schemas/common.ts';

export type ValidationPart = 'body' | 'query' | 'path' | 'header';

/** A huge invalid array would otherwise produce a response as big as the request. */
export const MAX_DETAIL_ITEMS = 200;

const UNION_KEYWORDS = new Set(['anyOf', 'oneOf']);

function isInside(e: ErrorObject, union: ErrorObject): boolean {
  const p = union.instancePath;
  return (
    e !== union &&
    e.schemaPath.startsWith(`${union.schemaPath}/`) &&
    (e.instancePath === p || e.instancePath.startsWith(`${p}/`))
  );
}

function branchIndex(e: ErrorObject, union: ErrorObject): number {
  return Number.parseInt(e.schemaPath.slice(union.schemaPath.length + 1), 10);
}

/** The branch failed on the value's JSON type itself, i.e. it was never a candidate. */
function rejectsType(errors: ErrorObject[], union: ErrorObject): boolean {
  return errors.some((e) => e.keyword === 'type' && e.instancePath === union.instancePath);
}

function onlyValueMismatch(errors: ErrorObject[], union: ErrorObject): boolean {
  return errors.every((e) => (e.keyword === 'enum' || e.keyword === 'const') && e.instancePath === union.instancePath);
}

function allowedValues(e: ErrorObject): unknown[] {
  const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
  return e.keyword === 'enum' ? (p.allowedValues ?? []) : [p.allowedValue];
}

/** Picks what to report for one failed union: a single branch's errors, or one merged error. */
function reportForUnion(union: ErrorObject, branches: Map<number, ErrorObject[]>): ErrorObject[] {
  const ordered = [...branches.entries()].sort((a, b) => a[0] - b[0]).map(([, errs]) => errs);
  const candidates = ordered.filter((errs) => !rejectsType(errs, union));
  if (candidates.length === 0) {
    // Wrong JSON type for every branch: report the first non-null expectation, as pydantic
    // does for Optional[T] (it never mentions the None alternative).
    const nonNull = ordered.find((errs) => !errs.some((e) => e.keyword === 'type' && e.params.type === 'null'));
    return nonNull ?? ordered[0];
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.every((errs) => onlyValueMismatch(errs, union))) {
    // e.g. model_name: OpenAIModel | GoogleModel | AnthropicModel -> one list of every model.
    const values = [...new Set(candidates.flat().flatMap(allowedValues))];
    return [{ ...union, keyword: 'enum', params: { allowedValues: values } }];
  }
  return candidates.reduce((best, errs) => (errs.length < best.length ? errs : best));
}

/** Replaces each failed union (outermost first) by the errors of its most plausible branch. */
export function pruneUnionNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  let current = [...errors];
  const unions = errors.filter((e) => UNION_KEYWORDS.has(e.keyword)).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!current.includes(union)) continue; // it sat in a branch that was already discarded
    const inside = current.filter((e) => isInside(e, union));
    if (inside.length === 0) continue; // e.g. oneOf matching twice: keep the union error itself
    const branches = new Map<number, ErrorObject[]>();
    for (const e of inside) {
      const i = branchIndex(e, union);
      branches.set(i, [...(branches.get(i) ?? []), e]);
    }
    const keep = reportForUnion(union, branches);
    const insideSet = new Set(inside);
    current = current.flatMap((e) => (e === union ? keep : insideSet.has(e) ? [] : [e]));
  }
  return current;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Instance path to loc segments; array positions become integers, as FastAPI reports them. */
function pathSegments(instancePath: string, input: unknown, inputKnown: boolean): (string | number)[] {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let node: unknown = input;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = unescapePointer(raw);
    const isIndex = /^(0|[1-9][0-9]*)$/.test(segment);
    // Without the input, a numeric segment is assumed to be an index (object keys like "0" are rare).
    const asIndex = inputKnown ? Array.isArray(node) && isIndex : isIndex;
    out.push(asIndex ? Number(segment) : segment);
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return out;
}

function repr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** "'a', 'b' or 'c'", pydantic's way of listing choices. */
function choices(values: unknown[]): string {
  const shown = values.map(repr);
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function closestKey(key: string, parentSchema: unknown): string | undefined {
  const props = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!props) return undefined;
  let best: string | undefined;
  let bestDistance = 3; // more than two edits is a different word, not a typo
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(props)) {
    // A shortened name ('dir' for 'direction') counts as a near miss too.
    const abbreviated = lower.length >= 3 && candidate.startsWith(lower);
    const d = candidate.toLowerCase() === lower ? 0 : abbreviated ? 1 : editDistance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

const NUMERIC_TEXT = /^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$/;

function typeIssue(expected: string, data: unknown, part: ValidationPart): { type: string; msg: string } {
  const fromText = typeof data === 'string' && part !== 'body';
  const quotedNumber = typeof data === 'string' && part === 'body' && NUMERIC_TEXT.test(data);
  const unquote = quotedNumber ? `; send a JSON number without quotes, e.g. ${data.trim()}` : '';
  switch (expected) {
    case 'integer':
      if (typeof data === 'number') return { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' };
      if (fromText) return { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' };
      return { type: 'int_type', msg: `Input should be a valid integer${unquote}` };
    case 'number':
      if (fromText) return { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' };
      return { type: 'float_type', msg: `Input should be a valid number${unquote}` };
    case 'boolean': {
      if (fromText) return { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' };
      const hint = data === 'true' || data === 'false' ? `; send ${data} without quotes` : '';
      return { type: 'bool_type', msg: `Input should be a valid boolean${hint}` };
    }
    case 'string': {
      const hint = typeof data === 'number' || typeof data === 'boolean' ? `; put the value in quotes, e.g. "${String(data)}"` : '';
      return { type: 'string_type', msg: `Input should be a valid string${hint}` };
    }
    case 'object':
      return { type: 'dict_type', msg: 'Input should be a valid dictionary (a JSON object)' };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list (a JSON array)' };
    case 'null':
      return { type: 'none_required', msg: 'Input should be null' };
    default:
      return { type: 'type_error', msg: `Input should be of type ${expected}` };
  }
}

const FORMAT_ISSUES: Record<string, { type: string; msg: string }> = {
  'date-time': { type: 'datetime_parsing', msg: 'Input should be a valid datetime, e.g. 2025-01-31T12:00:00Z' },
  date: { type: 'date_parsing', msg: 'Input should be a valid date, e.g. 2025-01-31' },
  uri: { type: 'url_parsing', msg: 'Input should be a valid URL' },
  uuid: { type: 'uuid_parsing', msg: 'Input should be a valid UUID' },
};

function issueFor(e: ErrorObject, part: ValidationPart): { type: string; msg: string; key?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { type: 'missing', msg: 'Field required', key: String(p.missingProperty) };
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const guess = closestKey(key, e.parentSchema);
      return { type: 'extra_forbidden', msg: `Extra inputs are not permitted${guess ? `; did you mean '${guess}'?` : ''}`, key };
    }
    case 'type': {
      const expected = String(p.type).split(',').find((t) => t !== 'null') ?? String(p.type);
      if (e.instancePath === '' && (e.data === null || e.data === undefined) && part === 'body') return { type: 'missing', msg: 'Field required' };
      return typeIssue(expected, e.data, part);
    }
    case 'enum':
      return { type: 'enum', msg: `Input should be ${choices((p.allowedValues as unknown[]) ?? [])}` };
    case 'const':
      return { type: 'literal_error', msg: `Input should be ${repr(p.allowedValue)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const [type, words] = {
        '>=': ['greater_than_equal', 'greater than or equal to'],
        '<=': ['less_than_equal', 'less than or equal to'],
        '>': ['greater_than', 'greater than'],
        '<': ['less_than', 'less than'],
      }[String(p.comparison) as '>=' | '<=' | '>' | '<'];
      return { type, msg: `Input should be ${words} ${String(p.limit)}` };
    }
    case 'minLength':
      return { type: 'string_too_short', msg: `String should have at least ${plural(Number(p.limit), 'character')}` };
    case 'maxLength':
      return { type: 'string_too_long', msg: `String should have at most ${plural(Number(p.limit), 'character')}` };
    case 'pattern':
      return { type: 'string_pattern_mismatch', msg: `String should match pattern '${String(p.pattern)}'` };
    case 'minItems':
    case 'maxItems': {
      const got = Array.isArray(e.data) ? e.data.length : undefined;
      const bound = e.keyword === 'minItems' ? 'at least' : 'at most';
      const tail = got === undefined ? '' : ` after validation, not ${got}`;
      return { type: e.keyword === 'minItems' ? 'too_short' : 'too_long', msg: `List should have ${bound} ${plural(Number(p.limit), 'item')}${tail}` };
    }
    case 'minProperties':
    case 'maxProperties': {
      const bound = e.keyword === 'minProperties' ? 'at least' : 'at most';
      return { type: e.keyword === 'minProperties' ? 'too_short' : 'too_long', msg: `Dictionary should have ${bound} ${plural(Number(p.limit), 'item')}` };
    }
    case 'multipleOf':
      return { type: 'multiple_of', msg: `Input should be a multiple of ${String(p.multipleOf)}` };
    case 'uniqueItems':
      return { type: 'value_error', msg: `List items should be unique; items ${String(p.j)} and ${String(p.i)} are identical` };
    case 'format':
      return FORMAT_ISSUES[String(p.format)] ?? { type: 'value_error', msg: `Input should be a valid ${String(p.format)}` };
    case 'anyOf':
      return { type: 'union_type', msg: 'Input does not match any of the allowed forms' };
    case 'oneOf':
      return { type: 'union_type', msg: 'Input matches more than one of the allowed forms; remove the fields that make it ambiguous' };
    case 'not':
    case 'false schema':
      return { type: 'value_error', msg: 'This value is not allowed here' };
    default:
      return { type: 'value_error', msg: e.message ? `Value error, ${e.message}` : 'Invalid input' };
  }
}

/**
 * Maps AJV errors for one request part to FastAPI validation items.
 * `input` (the validated value) lets array indexes be told from numeric object keys.
 */
export function toValidationDetail(
  errors: readonly ErrorObject[] | null | undefined,
  part: ValidationPart,
  options: { input?: unknown } = {},
): ValidationError[] {
  const inputKnown = 'input' in options;
  if (!errors || errors.length === 0) return [];
  const pruned = pruneUnionNoise(errors).filter((e) => e.keyword !== 'if');
  // A StringEnum given a number fails both `type` and `enum`; the choices are the useful part.
  const valueMismatch = new Set(pruned.filter((e) => e.keyword === 'enum' || e.keyword === 'const').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: ValidationError[] = [];
  for (const e of pruned) {
    if (e.keyword === 'type' && valueMismatch.has(e.instancePath)) continue;
    const { type, msg, key } = issueFor(e, part);
    const loc: (string | number)[] = [part, ...pathSegments(e.instancePath, options.input, inputKnown)];
    if (key !== undefined) loc.push(key);
    const id = JSON.stringify([loc, type, msg]);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ loc, msg, type });
  }
  if (out.length <= MAX_DETAIL_ITEMS) return out;
  const hidden = out.length - MAX_DETAIL_ITEMS + 1;
  return [
    ...out.slice(0, MAX_DETAIL_ITEMS - 1),
    { loc: [part], msg: `${hidden} more errors not shown; fix the ones above and send the request again`, type: 'too_many_errors' },
  ];
}
