import type { FieldKind } from './filters.ts';
import type { DocumentRecord } from './records.ts';

/** Reads a field filters and sorts may name: document_id, timestamps, or a metadata path (`metadata.a.b` or `a.b`). */
export function readDocumentField(doc: DocumentRecord, field: string): unknown {
  if (field === 'document_id') return doc.documentId;
  if (field === 'collection_id') return doc.collectionId;
  if (field === 'created_at') return doc.createdAt;
  if (field === 'updated_at') return doc.updatedAt;
  let value: unknown = doc.metadata;
  for (const part of (field.startsWith('metadata.') ? field.slice('metadata.'.length) : field).split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function documentFieldKind(field: string): FieldKind {
  return field === 'created_at' || field === 'updated_at' ? 'timestamp' : 'any';
}

export const DOCUMENT_FILTER_FIELDS_HELP = 'document_id, created_at, updated_at, metadata.<field>';
