import { invalid } from '../domain/errors.ts';
import type { PageWindow } from '../domain/records.ts';

/** Every way a list endpoint can be asked for a page: page/page_size, limit/offset, or an opaque cursor. */
export interface PageQuery {
  page?: number;
  page_size?: number;
  limit?: number;
  offset?: number;
  cursor?: string;
}

export interface ResolvedPage extends PageWindow {
  page: number;
  pageSize: number;
}

export interface PaginationView {
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
  next_page: string | null;
  previous_page: string | null;
  next_cursor: string | null;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through to the validation error
  }
  throw invalid(['query', 'cursor'], 'Invalid cursor: pass the pagination.next_cursor value of a previous response unchanged', 'value_error');
}

/** A cursor wins over limit/offset, which win over page/page_size. */
export function resolvePage(query: PageQuery, defaultSize = 10, maxSize = 100): ResolvedPage {
  const pageSize = query.limit ?? query.page_size ?? defaultSize;
  if (query.page_size !== undefined && query.page_size > maxSize) {
    throw invalid(['query', 'page_size'], `Input should be less than or equal to ${maxSize}`, 'less_than_equal');
  }
  let offset: number;
  if (query.cursor !== undefined && query.cursor !== '') offset = decodeCursor(query.cursor);
  else if (query.offset !== undefined) offset = query.offset;
  else offset = ((query.page ?? 1) - 1) * pageSize;
  return { limit: pageSize, offset, pageSize, page: Math.floor(offset / pageSize) + 1 };
}

/** Links keep the caller's own path and add page/page_size, so a client can follow them as they are. */
export function paginationView(total: number, window: ResolvedPage, path: string): PaginationView {
  const totalPages = Math.max(1, Math.ceil(total / window.pageSize));
  const hasNext = window.offset + window.limit < total;
  const link = (page: number) => `${path}?page=${page}&page_size=${window.pageSize}`;
  return {
    total,
    page: window.page,
    page_size: window.pageSize,
    total_pages: totalPages,
    next_page: hasNext ? link(window.page + 1) : null,
    previous_page: window.offset > 0 ? link(Math.max(1, window.page - 1)) : null,
    next_cursor: hasNext ? encodeCursor(window.offset + window.limit) : null,
  };
}

/** Splits a search string into lower-cased terms that must all match. */
export function searchTerms(search: string | null | undefined): string[] {
  return (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}
