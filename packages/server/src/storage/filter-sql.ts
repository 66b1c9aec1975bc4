import { sql, type RawBuilder } from 'kysely';
import type { FilterNode } from '../domain/filters.ts';
import type { Dialect } from './database.ts';

type Bool = RawBuilder<boolean>;

const TRUE: Bool = sql<boolean>`1 = 1`;
const FALSE: Bool = sql<boolean>`1 = 0`;

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * Compiles a parsed filter tree into a SQL boolean over the given columns. Both SQLite and
 * PostgreSQL understand everything emitted except regex (a registered function on SQLite,
 * the `~` operator on PostgreSQL). Strings compare case-insensitively unless the filter
 * says case_sensitive, which is the reference's default.
 */
export function compileFilter(node: FilterNode, columns: Readonly<Record<string, string>>, dialect: Dialect): Bool {
  switch (node.kind) {
    case 'and':
      return node.children.length === 0 ? TRUE : sql<boolean>`(${sql.join(node.children.map((c) => compileFilter(c, columns, dialect)), sql` AND `)})`;
    case 'or':
      return node.children.length === 0 ? TRUE : sql<boolean>`(${sql.join(node.children.map((c) => compileFilter(c, columns, dialect)), sql` OR `)})`;
    case 'not':
      return node.children.length === 0
        ? TRUE
        : sql<boolean>`(${sql.join(node.children.map((c) => sql`NOT (${compileFilter(c, columns, dialect)})`), sql` AND `)})`;
    case 'condition':
      return compileCondition(node, columns, dialect);
  }
}

function compileCondition(node: Extract<FilterNode, { kind: 'condition' }>, columns: Readonly<Record<string, string>>, dialect: Dialect): Bool {
  const column = columns[node.field];
  if (!column) throw new Error(`no column for filter field ${node.field}`);
  const ref = sql.ref(column);
  const textual = node.fieldKind === 'string' || node.fieldKind === 'any';
  const fold = textual && !node.caseSensitive;
  // Pattern operators on numbers and timestamps match their decimal text: SQLite converts
  // implicitly, PostgreSQL only when told.
  const asText = !textual && dialect === 'postgres' ? sql`CAST(${ref} AS text)` : ref;
  const col = fold ? sql`lower(${ref})` : ref;
  const textCol = fold ? col : asText;
  const val = (v: unknown) => (fold && typeof v === 'string' ? v.toLowerCase() : v);
  const v = node.value;
  switch (node.operator) {
    case 'exists':
      return v ? sql<boolean>`${ref} IS NOT NULL` : sql<boolean>`${ref} IS NULL`;
    case 'is_null':
      return v ? sql<boolean>`${ref} IS NULL` : sql<boolean>`${ref} IS NOT NULL`;
    case 'eq':
      return v === null ? sql<boolean>`${ref} IS NULL` : sql<boolean>`${col} = ${val(v)}`;
    case 'ne':
      return v === null ? sql<boolean>`${ref} IS NOT NULL` : sql<boolean>`(${ref} IS NULL OR ${col} <> ${val(v)})`;
    case 'gt':
      return sql<boolean>`${col} > ${val(v)}`;
    case 'gte':
      return sql<boolean>`${col} >= ${val(v)}`;
    case 'lt':
      return sql<boolean>`${col} < ${val(v)}`;
    case 'lte':
      return sql<boolean>`${col} <= ${val(v)}`;
    case 'in':
    case 'nin': {
      const list = (v as unknown[]).map(val);
      if (list.length === 0) return node.operator === 'in' ? FALSE : TRUE;
      const inList = sql<boolean>`${col} IN (${sql.join(list)})`;
      return node.operator === 'in' ? inList : sql<boolean>`(${ref} IS NULL OR NOT ${inList})`;
    }
    case 'contains':
    case 'text': {
      const terms = node.operator === 'text' ? String(v).split(/\s+/).filter(Boolean) : [String(v)];
      if (terms.length === 0) return TRUE;
      return sql<boolean>`(${sql.join(terms.map((t) => likeClause(textCol, '%' + likeEscape(String(val(t))) + '%', node.caseSensitive, dialect)), sql` AND `)})`;
    }
    case 'starts_with':
      return likeClause(textCol, likeEscape(String(val(v))) + '%', node.caseSensitive, dialect);
    case 'ends_with':
      return likeClause(textCol, '%' + likeEscape(String(val(v))), node.caseSensitive, dialect);
    case 'regex':
      if (dialect === 'postgres') {
        return node.caseSensitive ? sql<boolean>`${asText} ~ ${v}` : sql<boolean>`${asText} ~* ${v}`;
      }
      return node.caseSensitive ? sql<boolean>`regexp(${String(v)}, ${ref}) = 1` : sql<boolean>`regexp_i(${String(v)}, ${ref}) = 1`;
  }
}

/** SQLite's LIKE ignores ASCII case; PostgreSQL's does not. Folding both sides makes them agree. */
function likeClause(col: RawBuilder<unknown> | ReturnType<typeof sql.ref>, pattern: string, caseSensitive: boolean, dialect: Dialect): Bool {
  if (caseSensitive && dialect === 'sqlite') {
    // GLOB is SQLite's case-sensitive matcher; translate the LIKE pattern's wildcards.
    const glob = pattern
      .replace(/\\([\\%_])|([%_*?[\]])/g, (_m, escaped: string | undefined, special: string | undefined) => {
        if (escaped) return escaped;
        if (special === '%') return '*';
        if (special === '_') return '?';
        return `[${special}]`;
      });
    return sql<boolean>`${col} GLOB ${glob}`;
  }
  return sql<boolean>`${col} LIKE ${pattern} ESCAPE '\\'`;
}
