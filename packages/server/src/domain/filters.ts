/**
 * The filter language shared by every list endpoint. Two request shapes are accepted because
 * Mixpeek's own documents use both:
 *   {"AND": [{field, operator, value}, …], "OR": […], "NOT": […], "case_sensitive": false}
 *   {"operator": "AND", "conditions": [{field, operator, value}, …]}
 * Both parse into one tree; storage compiles it to SQL, in-memory callers evaluate it directly.
 */
import { RequestValidationError, type ValidationIssue } from './errors.ts';

export const FILTER_OPERATORS = [
  'eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'in', 'nin', 'contains', 'starts_with', 'ends_with', 'regex', 'exists', 'is_null', 'text',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const OPERATOR_ALIASES: Record<string, FilterOperator> = {
  '==': 'eq', '=': 'eq', '!=': 'ne', '<>': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', not_in: 'nin',
};

/** How a field's values compare: what a value must look like and how it is normalised. */
export type FieldKind = 'string' | 'number' | 'timestamp' | 'any';

export type FilterNode =
  | { kind: 'and' | 'or' | 'not'; children: FilterNode[] }
  | { kind: 'condition'; field: string; fieldKind: FieldKind; operator: FilterOperator; value: unknown; caseSensitive: boolean };

export type FieldResolver = (field: string) => FieldKind | undefined;

type Loc = (string | number)[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

class FilterParser {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly resolve: FieldResolver, private readonly fieldList: string) {}

  group(raw: unknown, loc: Loc, caseSensitive: boolean): FilterNode | null {
    if (!isPlainObject(raw)) {
      this.issues.push({ loc, msg: 'A filter must be an object such as {"AND": [{"field": "status", "operator": "eq", "value": "completed"}]}', type: 'dict_type' });
      return null;
    }
    if (typeof raw.case_sensitive === 'boolean') caseSensitive = raw.case_sensitive;
    if ('field' in raw) return this.condition(raw, loc, caseSensitive);
    if ('conditions' in raw || 'operator' in raw) return this.operatorGroup(raw, loc, caseSensitive);

    const children: FilterNode[] = [];
    let logical = 0;
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'case_sensitive') continue;
      if (key !== 'AND' && key !== 'OR' && key !== 'NOT') {
        this.issues.push({ loc: [...loc, key], msg: `Unknown filter key '${key}': use AND, OR, NOT or case_sensitive`, type: 'extra_forbidden' });
        continue;
      }
      if (value === null || value === undefined) continue;
      logical++;
      const items = this.list(value, [...loc, key], caseSensitive);
      const kind = key === 'AND' ? 'and' : key === 'OR' ? 'or' : 'not';
      children.push({ kind, children: items });
    }
    if (logical === 0) return null;
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private operatorGroup(raw: Record<string, unknown>, loc: Loc, caseSensitive: boolean): FilterNode | null {
    const op = typeof raw.operator === 'string' ? raw.operator.toUpperCase() : 'AND';
    if (op !== 'AND' && op !== 'OR' && op !== 'NOT') {
      this.issues.push({ loc: [...loc, 'operator'], msg: `Group operator must be 'AND', 'OR' or 'NOT', got ${JSON.stringify(raw.operator)}`, type: 'enum' });
      return null;
    }
    for (const key of Object.keys(raw)) {
      if (key !== 'operator' && key !== 'conditions' && key !== 'case_sensitive') {
        this.issues.push({ loc: [...loc, key], msg: `Unknown key '${key}' in a condition group: use operator, conditions or case_sensitive`, type: 'extra_forbidden' });
      }
    }
    if (!('conditions' in raw)) {
      this.issues.push({ loc: [...loc, 'conditions'], msg: 'Field required: a group needs a conditions array', type: 'missing' });
      return null;
    }
    const children = this.list(raw.conditions, [...loc, 'conditions'], caseSensitive);
    return { kind: op === 'AND' ? 'and' : op === 'OR' ? 'or' : 'not', children };
  }

  private list(value: unknown, loc: Loc, caseSensitive: boolean): FilterNode[] {
    if (!Array.isArray(value)) {
      this.issues.push({ loc, msg: 'Input should be a valid list of conditions', type: 'list_type' });
      return [];
    }
    const out: FilterNode[] = [];
    value.forEach((item, i) => {
      const node = this.group(item, [...loc, i], caseSensitive);
      if (node) out.push(node);
    });
    return out;
  }

  private condition(raw: Record<string, unknown>, loc: Loc, caseSensitive: boolean): FilterNode | null {
    for (const key of Object.keys(raw)) {
      if (key !== 'field' && key !== 'operator' && key !== 'value' && key !== 'case_sensitive') {
        this.issues.push({ loc: [...loc, key], msg: `Unknown key '${key}' in a condition: use field, operator and value`, type: 'extra_forbidden' });
      }
    }
    const field = raw.field;
    if (typeof field !== 'string' || field === '') {
      this.issues.push({ loc: [...loc, 'field'], msg: 'Input should be a valid string naming the field to filter on', type: 'string_type' });
      return null;
    }
    const fieldKind = this.resolve(field);
    if (!fieldKind) {
      this.issues.push({ loc: [...loc, 'field'], msg: `Cannot filter on '${field}'; filterable fields: ${this.fieldList}`, type: 'value_error' });
      return null;
    }
    const rawOperator = raw.operator ?? 'eq';
    const operator = typeof rawOperator === 'string' ? (OPERATOR_ALIASES[rawOperator] ?? rawOperator) : rawOperator;
    if (typeof operator !== 'string' || !(FILTER_OPERATORS as readonly string[]).includes(operator)) {
      this.issues.push({
        loc: [...loc, 'operator'],
        msg: `Unknown operator ${JSON.stringify(rawOperator)}; use one of ${FILTER_OPERATORS.join(', ')} (or ==, !=, >, >=, <, <=)`,
        type: 'enum',
      });
      return null;
    }
    if (!('value' in raw) && operator !== 'exists' && operator !== 'is_null') {
      this.issues.push({ loc: [...loc, 'value'], msg: 'Field required: a condition needs a value', type: 'missing' });
      return null;
    }
    const value = this.value(raw.value, operator as FilterOperator, fieldKind, field, [...loc, 'value']);
    if (value === INVALID) return null;
    const sensitive = typeof raw.case_sensitive === 'boolean' ? raw.case_sensitive : caseSensitive;
    return { kind: 'condition', field, fieldKind, operator: operator as FilterOperator, value, caseSensitive: sensitive };
  }

  private value(value: unknown, operator: FilterOperator, kind: FieldKind, field: string, loc: Loc): unknown {
    switch (operator) {
      case 'exists':
      case 'is_null':
        if (value === undefined) return true;
        if (typeof value !== 'boolean') {
          this.issues.push({ loc, msg: `Operator '${operator}' takes true or false`, type: 'bool_type' });
          return INVALID;
        }
        return value;
      case 'in':
      case 'nin': {
        if (!Array.isArray(value)) {
          this.issues.push({ loc, msg: `Operator '${operator}' takes a list of values, e.g. ["completed", "failed"]`, type: 'list_type' });
          return INVALID;
        }
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
          const v = this.scalar(value[i], kind, field, [...loc, i]);
          if (v === INVALID) return INVALID;
          out.push(v);
        }
        return out;
      }
      case 'contains':
      case 'starts_with':
      case 'ends_with':
      case 'regex':
      case 'text':
        if (typeof value !== 'string') {
          this.issues.push({ loc, msg: `Operator '${operator}' takes a string`, type: 'string_type' });
          return INVALID;
        }
        if (operator === 'regex') {
          try {
            new RegExp(value);
          } catch (error) {
            this.issues.push({ loc, msg: `Invalid regular expression: ${(error as Error).message}`, type: 'value_error' });
            return INVALID;
          }
        }
        return value;
      default:
        return this.scalar(value, kind, field, loc, operator === 'eq' || operator === 'ne');
    }
  }

  private scalar(value: unknown, kind: FieldKind, field: string, loc: Loc, allowNull = false): unknown {
    if (value === null && allowNull) return null;
    if (kind === 'number') {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      this.issues.push({ loc, msg: `'${field}' is numeric: give a number`, type: 'float_type' });
      return INVALID;
    }
    if (kind === 'timestamp') {
      const ms = parseTimestamp(value);
      if (ms === null) {
        this.issues.push({ loc, msg: `'${field}' is a timestamp: give an ISO 8601 date-time such as "2025-11-13T00:00:00Z"`, type: 'datetime_parsing' });
        return INVALID;
      }
      return ms;
    }
    if (kind === 'string') {
      if (typeof value === 'string') return value;
      this.issues.push({ loc, msg: `'${field}' is text: give a string`, type: 'string_type' });
      return INVALID;
    }
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
    this.issues.push({ loc, msg: 'Filter values must be strings, numbers, booleans or null', type: 'value_error' });
    return INVALID;
  }
}

const INVALID = Symbol('invalid');

/** Parses a request's `filters`; throws a 422-shaped error naming every bad part. */
export function parseFilters(raw: unknown, loc: Loc, resolve: FieldResolver, fieldList: string): FilterNode | null {
  if (raw === null || raw === undefined) return null;
  const parser = new FilterParser(resolve, fieldList);
  const node = parser.group(raw, loc, false);
  if (parser.issues.length > 0) throw new RequestValidationError(parser.issues);
  return node;
}

/** Evaluates a filter tree against one record (for stores or fields SQL cannot reach). */
export function matchesFilter(node: FilterNode, read: (field: string) => unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => matchesFilter(c, read));
    case 'or':
      return node.children.length === 0 || node.children.some((c) => matchesFilter(c, read));
    case 'not':
      return node.children.every((c) => !matchesFilter(c, read));
    case 'condition':
      return matchesCondition(node, read(node.field));
  }
}

function fold(value: unknown, sensitive: boolean): unknown {
  return !sensitive && typeof value === 'string' ? value.toLowerCase() : value;
}

function matchesCondition(node: Extract<FilterNode, { kind: 'condition' }>, actual: unknown): boolean {
  const s = node.caseSensitive;
  const a = fold(actual, s);
  const v = node.value;
  switch (node.operator) {
    case 'exists':
      return (actual !== undefined && actual !== null) === v;
    case 'is_null':
      return (actual === undefined || actual === null) === v;
    case 'eq':
      return Array.isArray(actual) ? actual.some((x) => fold(x, s) === fold(v, s)) : (a ?? null) === fold(v, s);
    case 'ne':
      return Array.isArray(actual) ? !actual.some((x) => fold(x, s) === fold(v, s)) : (a ?? null) !== fold(v, s);
    case 'in':
      return (v as unknown[]).some((x) => fold(x, s) === a || (Array.isArray(actual) && actual.some((y) => fold(y, s) === fold(x, s))));
    case 'nin':
      return !(v as unknown[]).some((x) => fold(x, s) === a || (Array.isArray(actual) && actual.some((y) => fold(y, s) === fold(x, s))));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (a === null || a === undefined || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const b = fold(v, s) as number | string;
      if (typeof a !== typeof b) return false;
      if (node.operator === 'gt') return a > b;
      if (node.operator === 'gte') return a >= b;
      if (node.operator === 'lt') return a < b;
      return a <= b;
    }
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => fold(x, s) === fold(v, s));
      return typeof a === 'string' && a.includes(fold(v, s) as string);
    case 'starts_with':
      return typeof a === 'string' && a.startsWith(fold(v, s) as string);
    case 'ends_with':
      return typeof a === 'string' && a.endsWith(fold(v, s) as string);
    case 'regex':
      return typeof actual === 'string' && new RegExp(v as string, s ? '' : 'i').test(actual);
    case 'text':
      return typeof a === 'string' && (fold(v, s) as string).split(/\s+/).filter(Boolean).every((t) => a.includes(t));
  }
}
