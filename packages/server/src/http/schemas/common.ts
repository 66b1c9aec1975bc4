/**
 * Building blocks shared by every schema file: helpers that emit the exact JSON Schema shapes the
 * Mixpeek reference uses (so /openapi.json reads like the original), plus the envelopes, pagination
 * and list-query pieces that most routes share.
 */
import { Type, type Static, type TSchema, type TSchemaOptions } from 'typebox';
import { ERROR_CODES } from '../../domain/errors.ts';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** `anyOf: [T, {type: null}]`, the way pydantic renders `Optional[T]`. Options go on the union. */
export function Nullable<T extends TSchema>(schema: T, options?: TSchemaOptions) {
  return Type.Union([schema, Type.Null()], options);
}

/**
 * `{type: 'string', enum: [...]}`. Type.Enum/Union-of-literals would render differently from the
 * reference and make AJV report one error per literal; a single `enum` keyword reports once.
 */
export function StringEnum<const V extends readonly string[]>(values: V, options: TSchemaOptions = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * `{type: 'object', additionalProperties: V}`. Type.Record would emit `patternProperties`, which
 * the reference never uses and OpenAPI tooling renders poorly.
 */
export function MapOf<V extends TSchema>(value: V, options: TSchemaOptions = {}) {
  return Type.Unsafe<Record<string, Static<V>>>({ type: 'object', additionalProperties: value, ...options });
}

/** A free-form JSON object (`additionalProperties: true`), typed as a string-keyed record. */
export function LooseObject(options: TSchemaOptions = {}) {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, ...options });
}

/** ISO 8601 timestamp string. */
export function DateTime(options: TSchemaOptions = {}) {
  return Type.String({ format: 'date-time', ...options });
}

// ---------------------------------------------------------------------------------------------
// Error envelopes
// ---------------------------------------------------------------------------------------------

export const ErrorDetail = Type.Object(
  {
    message: Type.String({ description: 'What went wrong, for people.' }),
    type: Type.String({ description: 'Stable error class for programs, e.g. NotFoundError.' }),
    code: Type.Optional(Nullable(Type.String(), { description: `Finer-grained code to branch on; one of ${Object.keys(ERROR_CODES).join(', ')}.` })),
    details: Type.Optional(Nullable(LooseObject(), { description: 'Extra context such as the offending id.' })),
  },
  { title: 'ErrorDetail', description: 'Body of a non-validation error.' },
);
export type ErrorDetail = Static<typeof ErrorDetail>;

export const ErrorResponse = Type.Object(
  {
    success: Type.Optional(Type.Boolean({ default: false, description: 'Always false here.' })),
    status: Type.Integer({ description: 'HTTP status code, repeated in the body.' }),
    error: ErrorDetail,
  },
  { title: 'ErrorResponse', description: 'Envelope for every error except request validation (422).' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const ValidationError = Type.Object(
  {
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), {
      title: 'Location',
      description: "Path to the offending input: request part first ('body', 'query', 'path', 'header'), then keys and array indexes.",
    }),
    msg: Type.String({ title: 'Message', description: 'What is wrong with the input and, where clear, how to fix it.' }),
    type: Type.String({ title: 'Error Type', description: "pydantic-style error kind, e.g. 'missing' or 'int_type'." }),
  },
  { title: 'ValidationError' },
);
export type ValidationError = Static<typeof ValidationError>;

export const HTTPValidationError = Type.Object(
  { detail: Type.Optional(Type.Array(ValidationError, { title: 'Detail' })) },
  { title: 'HTTPValidationError', description: 'Returned with status 422 when the request does not match its schema.' },
);
export type HTTPValidationError = Static<typeof HTTPValidationError>;

// ---------------------------------------------------------------------------------------------
// Pagination, sorting, filtering
// ---------------------------------------------------------------------------------------------

export const PaginationResponse = Type.Object(
  {
    total: Type.Optional(Nullable(Type.Integer(), { description: 'Matching items over all pages, when counted.' })),
    page: Type.Optional(Nullable(Type.Integer(), { description: 'Current page, starting at 1.' })),
    page_size: Type.Optional(Nullable(Type.Integer(), { description: 'Items per page.' })),
    total_pages: Type.Optional(Nullable(Type.Integer(), { description: 'Number of pages, when counted.' })),
    next_page: Type.Optional(Nullable(Type.String(), { description: 'Link to the following page; null on the last one.' })),
    previous_page: Type.Optional(Nullable(Type.String(), { description: 'Link to the preceding page; null on the first one.' })),
    next_cursor: Type.Optional(Nullable(Type.String(), { description: 'Opaque cursor for the following page; null when exhausted.' })),
  },
  { title: 'PaginationResponse', description: 'Where this page sits in the full result set.' },
);
export type PaginationResponse = Static<typeof PaginationResponse>;

export const SortDirection = StringEnum(['asc', 'desc'], { title: 'SortDirection' });
export type SortDirection = Static<typeof SortDirection>;

export const SortOption = Type.Object(
  {
    field: Type.String({ description: 'Field to order by, e.g. created_at.' }),
    direction: Type.Optional(StringEnum(['asc', 'desc'], { title: 'SortDirection', default: 'asc' })),
  },
  { title: 'SortOption', additionalProperties: false, description: 'Ordering for a list request.' },
);
export type SortOption = Static<typeof SortOption>;

const FILTER_OPERATORS = [
  'eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'in', 'nin', 'contains', 'starts_with', 'ends_with', 'regex', 'exists', 'is_null', 'text',
] as const;
export const FilterOperator = StringEnum(FILTER_OPERATORS, { title: 'FilterOperator' });
export type FilterOperator = Static<typeof FilterOperator>;

/** Documentation only: conditions are checked by the filter parser, not by AJV. */
export const FilterCondition = Type.Object(
  {
    field: Type.String({ description: 'Dotted field path, e.g. metadata.category.' }),
    operator: Type.Optional(StringEnum(FILTER_OPERATORS, { title: 'FilterOperator', default: 'eq' })),
    value: Type.Unknown({ description: 'Value to compare with; its shape depends on the operator.' }),
  },
  { title: 'FilterCondition', description: 'One comparison inside a filter group.' },
);
export type FilterCondition = Static<typeof FilterCondition>;

/**
 * Deliberately shallow: two filter dialects are accepted and the filter parser (domain/filters.ts)
 * validates them deeply with better messages than a schema union could give.
 */
export const FilterGroup = Type.Object(
  {
    AND: Type.Optional(Nullable(Type.Array(Type.Unknown()), { description: 'All of these conditions or groups must hold.' })),
    OR: Type.Optional(Nullable(Type.Array(Type.Unknown()), { description: 'At least one must hold.' })),
    NOT: Type.Optional(Nullable(Type.Array(Type.Unknown()), { description: 'None may hold.' })),
    case_sensitive: Type.Optional(Nullable(Type.Boolean(), { description: 'Compare strings case-sensitively (default false).' })),
    operator: Type.Optional(Type.String({ description: "Alternative dialect: 'AND' or 'OR' applied to `conditions`." })),
    conditions: Type.Optional(Type.Array(Type.Unknown(), { description: 'Alternative dialect: the conditions or nested groups to combine.' })),
  },
  {
    title: 'LogicalOperator',
    additionalProperties: true,
    description:
      'A filter tree, in either of two forms. ' +
      '(1) {"AND": [...], "OR": [...], "NOT": [...], "case_sensitive": false}, each list holding groups or ' +
      '{"field", "operator", "value"} conditions with operator one of eq, ne, gt, lt, gte, lte, in, nin, contains, ' +
      'starts_with, ends_with, regex, exists, is_null, text. ' +
      '(2) {"operator": "AND" | "OR", "conditions": [...]}, whose conditions may also use ==, !=, >, >=, <, <=.',
  },
);
export type FilterGroup = Static<typeof FilterGroup> & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Query strings and path parameters
// ---------------------------------------------------------------------------------------------

/** Query parameters of the list endpoints. Unknown query keys are ignored, as FastAPI does. */
export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Maximum items to return.' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Items to skip.' })),
    cursor: Type.Optional(Type.String({ description: 'Cursor from a previous page (next_cursor).' })),
    include_total: Type.Optional(Type.Boolean({ default: false, description: 'Count all matches (slower on big sets).' })),
    page: Type.Optional(Type.Integer({ minimum: 1, description: 'Page number, starting at 1.' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Items per page.' })),
  },
  { title: 'ListQuery' },
);
export type ListQuery = Static<typeof ListQuery>;

export const GenericDeleteResponse = Type.Object(
  {
    message: Type.Optional(Type.String({ default: 'Successfully deleted' })),
    success: Type.Optional(Type.Boolean({ default: true })),
  },
  { title: 'GenericDeleteResponse', description: 'Confirmation that a resource was removed.' },
);
export type GenericDeleteResponse = Static<typeof GenericDeleteResponse>;

const id = (description: string) => Type.String({ minLength: 1, description });

export const ClusterIdParams = Type.Object({ cluster_id: id('Cluster id (clust_…).') }, { title: 'ClusterIdParams' });
export type ClusterIdParams = Static<typeof ClusterIdParams>;

export const ClusterIdentifierParams = Type.Object({ cluster_identifier: id('Cluster id or name.') }, { title: 'ClusterIdentifierParams' });
export type ClusterIdentifierParams = Static<typeof ClusterIdentifierParams>;

export const RunIdParams = Type.Object(
  { cluster_id: id('Cluster id (clust_…).'), run_id: id('Execution run id (run_…).') },
  { title: 'RunIdParams' },
);
export type RunIdParams = Static<typeof RunIdParams>;

export const TaskIdParams = Type.Object({ task_id: id('Task id.') }, { title: 'TaskIdParams' });
export type TaskIdParams = Static<typeof TaskIdParams>;

export const NamespaceIdentifierParams = Type.Object(
  { namespace_identifier: id('Namespace id (ns_…) or name.') },
  { title: 'NamespaceIdentifierParams' },
);
export type NamespaceIdentifierParams = Static<typeof NamespaceIdentifierParams>;

export const CollectionIdentifierParams = Type.Object(
  { collection_identifier: id('Collection id (col_…) or name.') },
  { title: 'CollectionIdentifierParams' },
);
export type CollectionIdentifierParams = Static<typeof CollectionIdentifierParams>;

export const DocumentIdParams = Type.Object(
  { collection_identifier: id('Collection id (col_…) or name.'), document_id: id('Document id.') },
  { title: 'DocumentIdParams' },
);
export type DocumentIdParams = Static<typeof DocumentIdParams>;
