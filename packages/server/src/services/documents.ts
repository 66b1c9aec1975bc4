import { randomBytes } from 'node:crypto';
import { AppError, RequestValidationError, notFound, type ValidationIssue } from '../domain/errors.ts';
import { matchesFilter, parseFilters } from '../domain/filters.ts';
import { DOCUMENT_FILTER_FIELDS_HELP, documentFieldKind, readDocumentField } from '../domain/document-fields.ts';
import { newId } from '../domain/ids.ts';
import type { CollectionRecord, DocumentRecord, NewDocument } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import { ImportFormatError, VectorDimensionCheck, normalizeImportRow, readImportRows, type ImportFormat, type ImportRow } from './document-import/index.ts';
import { paginationView, resolvePage, searchTerms, type PageQuery } from './pagination.ts';
import { documentView } from './views.ts';

/** Bad rows reported per rejected import; past this the report says how many more there were. */
const MAX_REPORTED_ISSUES = 100;
const STAGE_BATCH = 1000;

function toNewDocument(row: ImportRow): NewDocument {
  return { documentId: row.documentId ?? newId('document'), metadata: row.metadata, features: row.features, vectors: row.vectors };
}

export class DocumentService {
  constructor(private readonly store: Store, private readonly limits: { maxRowBytes: number; maxBytes: number }) {}

  async create(collection: CollectionRecord, body: { document_id?: string | null; metadata?: Record<string, unknown>; features?: unknown[]; vectors?: Record<string, unknown> }) {
    const raw: Record<string, unknown> = { metadata: body.metadata ?? {}, features: body.features ?? [] };
    if (body.document_id) raw.document_id = body.document_id;
    if (body.vectors !== undefined) raw.vectors = body.vectors;
    const result = normalizeImportRow(raw, 0);
    // A single document's issues are about the body itself, not row 0 of a list.
    if (!result.ok) throw new RequestValidationError(result.errors.map((i) => ({ ...i, loc: ['body', ...i.loc.slice(2)] })));
    const check = new VectorDimensionCheck(await this.store.collections.vectorDimensions(collection.collectionId));
    const issues = check.check(result.row, 0);
    if (issues.length > 0) throw new RequestValidationError(issues.map((i) => ({ ...i, loc: ['body', ...i.loc.slice(2)] })));
    const doc = toNewDocument(result.row);
    await this.store.documents.upsert(collection.collectionId, collection.namespaceId, doc, check.newDimensions());
    const stored = await this.store.documents.get(collection.collectionId, doc.documentId, false);
    return documentView(stored!);
  }

  /**
   * Bulk import: rows are parsed one at a time from the byte stream and staged invisibly;
   * only when every row is valid does one transaction make them visible. Any bad row
   * rejects the whole request with every problem found (up to MAX_REPORTED_ISSUES).
   */
  async import(collection: CollectionRecord, body: AsyncIterable<Buffer>, format: ImportFormat) {
    const importId = randomBytes(12).toString('hex');
    const check = new VectorDimensionCheck(await this.store.collections.vectorDimensions(collection.collectionId));
    const issues: ValidationIssue[] = [];
    let badRows = 0;
    let rows = 0;
    const seen = new Map<string, number>();
    let batch: Array<{ rowIndex: number; doc: NewDocument }> = [];
    try {
      for await (const result of readImportRows(this.limitBytes(body), format, { maxRowBytes: this.limits.maxRowBytes }, check)) {
        rows++;
        if ('issues' in result) {
          badRows++;
          if (issues.length < MAX_REPORTED_ISSUES) issues.push(...result.issues.slice(0, MAX_REPORTED_ISSUES - issues.length));
          continue;
        }
        const doc = toNewDocument(result.row);
        const first = seen.get(doc.documentId);
        if (first !== undefined) {
          badRows++;
          if (issues.length < MAX_REPORTED_ISSUES) {
            issues.push({ loc: ['body', result.index, 'document_id'], msg: `document_id '${doc.documentId}' already appears in row ${first}; each document may appear once per import`, type: 'value_error' });
          }
          continue;
        }
        seen.set(doc.documentId, result.index);
        if (badRows > 0) continue; // the import is already rejected; keep reading only to report problems
        batch.push({ rowIndex: result.index, doc });
        if (batch.length >= STAGE_BATCH) {
          await this.store.documents.stageImportRows(importId, batch);
          batch = [];
        }
      }
    } catch (error) {
      await this.store.documents.discardImport(importId);
      if (error instanceof ImportFormatError) throw new RequestValidationError([{ loc: ['body'], msg: error.message, type: 'json_invalid' }]);
      throw error;
    }
    if (badRows > 0) {
      await this.store.documents.discardImport(importId);
      if (badRows > issues.length) {
        issues.push({ loc: ['body'], msg: `${badRows} of ${rows} rows are invalid; the first ${MAX_REPORTED_ISSUES} problems are listed. Nothing was imported.`, type: 'value_error' });
      }
      throw new RequestValidationError(issues);
    }
    await this.store.documents.stageImportRows(importId, batch);
    const { inserted, updated } = await this.store.documents.commitImport(importId, collection.collectionId, collection.namespaceId, check.newDimensions());
    return {
      collection_id: collection.collectionId,
      imported: inserted + updated,
      inserted,
      updated,
      vector_dimensions: Object.fromEntries(await this.store.collections.vectorDimensions(collection.collectionId)),
    };
  }

  private async *limitBytes(body: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    let total = 0;
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > this.limits.maxBytes) {
        throw new AppError('payload_too_large', `Import body exceeds ${this.limits.maxBytes} bytes (CENTROID_IMPORT_MAX_BYTES); split it into several requests`);
      }
      yield chunk;
    }
  }

  async get(collection: CollectionRecord, documentId: string, withVectors: boolean) {
    const doc = await this.store.documents.get(collection.collectionId, documentId, withVectors);
    if (!doc) throw notFound('document', documentId);
    return documentView(doc);
  }

  async delete(collection: CollectionRecord, documentId: string) {
    if (!(await this.store.documents.delete(collection.collectionId, documentId))) throw notFound('document', documentId);
    return { success: true, message: `Document ${documentId} deleted` };
  }

  /** Lists documents with filters on metadata (`metadata.x` or `x`), document_id and timestamps. */
  async list(
    collection: CollectionRecord,
    body: { filters?: unknown; sort?: { field: string; direction?: 'asc' | 'desc' } | null; search?: string | null; return_vectors?: boolean | null; cursor?: string | null },
    query: PageQuery,
    path: string,
  ) {
    const filter = parseFilters(body.filters, ['body', 'filters'], documentFieldKind, DOCUMENT_FILTER_FIELDS_HELP);
    const terms = searchTerms(body.search);
    const matched: DocumentRecord[] = [];
    for await (const batch of this.store.documents.scan(collection.collectionId, 2000)) {
      for (const doc of batch) {
        if (filter && !matchesFilter(filter, (f) => readDocumentField(doc, f))) continue;
        if (terms.length > 0) {
          const text = (doc.documentId + ' ' + JSON.stringify(doc.metadata) + ' ' + JSON.stringify(doc.features)).toLowerCase();
          if (!terms.every((t) => text.includes(t))) continue;
        }
        matched.push(doc);
      }
    }
    const sortField = body.sort?.field ?? 'created_at';
    const direction = body.sort?.direction === 'desc' ? -1 : 1;
    matched.sort((a, b) => {
      const x = readDocumentField(a, sortField) as string | number | undefined;
      const y = readDocumentField(b, sortField) as string | number | undefined;
      if (x === y) return a.documentId < b.documentId ? -1 : 1;
      if (x === undefined || x === null) return 1;
      if (y === undefined || y === null) return -1;
      return (x < y ? -1 : 1) * direction;
    });
    const window = resolvePage({ ...query, cursor: query.cursor ?? body.cursor ?? undefined });
    const page = matched.slice(window.offset, window.offset + window.limit);
    const results = body.return_vectors
      ? await Promise.all(page.map(async (d) => documentView((await this.store.documents.get(collection.collectionId, d.documentId, true))!)))
      : page.map((d) => documentView(d));
    return {
      results,
      groups: null,
      group_by_field: null,
      pagination: paginationView(matched.length, window, path),
      total_count: matched.length,
      stats: { total_documents: matched.length, avg_blobs_per_document: 0, total_groups: null, avg_documents_per_group: null },
    };
  }
}
