import { sql, type Transaction } from 'kysely';
import { RequestValidationError } from '../../domain/errors.ts';
import type { DocumentFeature, DocumentRecord, NewDocument } from '../../domain/records.ts';
import { decodeVector, decodeVectorInto, encodeVector } from '../float32-codec.ts';
import type { Database, DocumentsTable } from '../schema.ts';
import type { DocumentStore, VectorBatch } from '../store.ts';
import { toBlob, toCount, type StoreContext } from './shared.ts';

function toRecord(row: DocumentsTable): DocumentRecord {
  return {
    documentId: row.document_id,
    collectionId: row.collection_id,
    namespaceId: row.namespace_id,
    metadata: JSON.parse(row.metadata),
    features: JSON.parse(row.features) as DocumentFeature[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const INSERT_CHUNK = 500;
/** Documents per UPDATE in mergeMetadata: 3 parameters each, far below SQLite's and PostgreSQL's limits. */
const MERGE_CHUNK = 500;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `fields` merged into `target` in place: plain objects key by key, other values replace, undefined skipped. */
function deepMerge(target: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value);
    else target[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
}

/**
 * Registers vector names first seen by this write, then confirms every name the write uses
 * still has the dimensions the caller validated against (a concurrent writer may have won).
 */
async function registerDimensions(trx: Transaction<Database>, collectionId: string, expected: Map<string, number>): Promise<void> {
  if (expected.size === 0) return;
  const rows = [...expected].map(([vector_name, dimensions]) => ({ collection_id: collectionId, vector_name, dimensions }));
  await trx.insertInto('collection_vectors').values(rows).onConflict((oc) => oc.columns(['collection_id', 'vector_name']).doNothing()).execute();
  const stored = await trx.selectFrom('collection_vectors').select(['vector_name', 'dimensions']).where('collection_id', '=', collectionId).where('vector_name', 'in', [...expected.keys()]).execute();
  const issues = stored
    .filter((r) => Number(r.dimensions) !== expected.get(r.vector_name))
    .map((r) => ({
      loc: ['body', 'vectors', r.vector_name],
      msg: `Vector '${r.vector_name}' is stored with ${r.dimensions} dimensions in this collection (set by a concurrent write), not ${expected.get(r.vector_name)}`,
      type: 'value_error',
    }));
  if (issues.length > 0) throw new RequestValidationError(issues);
}

export class KyselyDocumentStore implements DocumentStore {
  constructor(private readonly ctx: StoreContext) {}

  async upsert(collectionId: string, namespaceId: string, doc: NewDocument, newDimensions: Map<string, number>): Promise<{ inserted: boolean }> {
    const now = this.ctx.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const dims = new Map(newDimensions);
      for (const [name, vector] of doc.vectors) if (!dims.has(name)) dims.set(name, vector.length);
      await registerDimensions(trx, collectionId, dims);
      const existing = await trx.selectFrom('documents').select('document_id').where('collection_id', '=', collectionId).where('document_id', '=', doc.documentId).executeTakeFirst();
      await trx
        .insertInto('documents')
        .values({
          collection_id: collectionId,
          document_id: doc.documentId,
          namespace_id: namespaceId,
          metadata: JSON.stringify(doc.metadata),
          features: JSON.stringify(doc.features),
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['collection_id', 'document_id']).doUpdateSet((eb) => ({
            metadata: eb.ref('excluded.metadata'),
            features: eb.ref('excluded.features'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      await trx.deleteFrom('document_vectors').where('collection_id', '=', collectionId).where('document_id', '=', doc.documentId).execute();
      if (doc.vectors.size > 0) {
        await trx
          .insertInto('document_vectors')
          .values([...doc.vectors].map(([vector_name, v]) => ({ collection_id: collectionId, vector_name, document_id: doc.documentId, vector: toBlob(encodeVector(v)) })))
          .execute();
      }
      return { inserted: !existing };
    });
  }

  async get(collectionId: string, documentId: string, withVectors: boolean): Promise<(DocumentRecord & { vectors?: Record<string, number[]> }) | null> {
    const row = await this.ctx.db.selectFrom('documents').selectAll().where('collection_id', '=', collectionId).where('document_id', '=', documentId).executeTakeFirst();
    if (!row) return null;
    const record: DocumentRecord & { vectors?: Record<string, number[]> } = toRecord(row);
    if (withVectors) {
      const vectors = await this.ctx.db.selectFrom('document_vectors').select(['vector_name', 'vector']).where('collection_id', '=', collectionId).where('document_id', '=', documentId).orderBy('vector_name').execute();
      record.vectors = Object.fromEntries(vectors.map((v) => [v.vector_name, Array.from(decodeVector(v.vector))]));
    }
    return record;
  }

  async *getMany(collectionId: string, documentIds: readonly string[], batchSize: number): AsyncIterable<DocumentRecord[]> {
    // Chunks keep the IN list well under SQLite's and PostgreSQL's bound-parameter limits.
    const chunk = Math.max(1, Math.min(batchSize, 500));
    for (let i = 0; i < documentIds.length; i += chunk) {
      const ids = documentIds.slice(i, i + chunk);
      const rows = await this.ctx.db.selectFrom('documents').selectAll().where('collection_id', '=', collectionId).where('document_id', 'in', ids).execute();
      if (rows.length > 0) yield rows.map(toRecord);
    }
  }

  async *scan(collectionId: string, batchSize: number): AsyncIterable<DocumentRecord[]> {
    let after = '';
    for (;;) {
      const rows = await this.ctx.db.selectFrom('documents').selectAll().where('collection_id', '=', collectionId).where('document_id', '>', after).orderBy('document_id').limit(batchSize).execute();
      if (rows.length === 0) return;
      yield rows.map(toRecord);
      after = rows[rows.length - 1]!.document_id;
      if (rows.length < batchSize) return;
    }
  }

  async delete(collectionId: string, documentId: string): Promise<boolean> {
    return this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('document_vectors').where('collection_id', '=', collectionId).where('document_id', '=', documentId).execute();
      const result = await trx.deleteFrom('documents').where('collection_id', '=', collectionId).where('document_id', '=', documentId).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    });
  }

  async stageImportRows(importId: string, rows: Array<{ rowIndex: number; doc: NewDocument }>): Promise<void> {
    if (rows.length === 0) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await trx
          .insertInto('import_rows')
          .values(chunk.map(({ rowIndex, doc }) => ({ import_id: importId, row_index: rowIndex, document_id: doc.documentId, metadata: JSON.stringify(doc.metadata), features: JSON.stringify(doc.features) })))
          .execute();
        const vectors = chunk.flatMap(({ rowIndex, doc }) => [...doc.vectors].map(([vector_name, v]) => ({ import_id: importId, row_index: rowIndex, vector_name, vector: toBlob(encodeVector(v)) })));
        for (let j = 0; j < vectors.length; j += INSERT_CHUNK) {
          await trx.insertInto('import_vectors').values(vectors.slice(j, j + INSERT_CHUNK)).execute();
        }
      }
    });
  }

  async commitImport(importId: string, collectionId: string, namespaceId: string, newDimensions: Map<string, number>): Promise<{ inserted: number; updated: number }> {
    const now = this.ctx.now();
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        await registerDimensions(trx, collectionId, newDimensions);
        const staged = trx.selectFrom('import_rows').select('document_id').where('import_id', '=', importId);
        const updatedRow = await trx.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('collection_id', '=', collectionId).where('document_id', 'in', staged).executeTakeFirstOrThrow();
        const totalRow = await trx.selectFrom('import_rows').select((eb) => eb.fn.countAll().as('n')).where('import_id', '=', importId).executeTakeFirstOrThrow();
        await trx.deleteFrom('document_vectors').where('collection_id', '=', collectionId).where('document_id', 'in', staged).execute();
        await trx
          .insertInto('documents')
          .columns(['collection_id', 'document_id', 'namespace_id', 'metadata', 'features', 'created_at', 'updated_at'])
          .expression((eb) =>
            eb
              .selectFrom('import_rows')
              .select([sql.lit(collectionId).as('collection_id'), 'document_id', sql.lit(namespaceId).as('namespace_id'), 'metadata', 'features', sql.lit(now).as('created_at'), sql.lit(now).as('updated_at')])
              .where('import_id', '=', importId),
          )
          .onConflict((oc) =>
            oc.columns(['collection_id', 'document_id']).doUpdateSet((eb) => ({
              metadata: eb.ref('excluded.metadata'),
              features: eb.ref('excluded.features'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
        await trx
          .insertInto('document_vectors')
          .columns(['collection_id', 'vector_name', 'document_id', 'vector'])
          .expression((eb) =>
            eb
              .selectFrom('import_vectors as v')
              .innerJoin('import_rows as r', (join) => join.onRef('r.import_id', '=', 'v.import_id').onRef('r.row_index', '=', 'v.row_index'))
              .select([sql.lit(collectionId).as('collection_id'), 'v.vector_name', 'r.document_id', 'v.vector'])
              .where('v.import_id', '=', importId),
          )
          .execute();
        await trx.deleteFrom('import_vectors').where('import_id', '=', importId).execute();
        await trx.deleteFrom('import_rows').where('import_id', '=', importId).execute();
        const updated = toCount(updatedRow.n);
        return { inserted: toCount(totalRow.n) - updated, updated };
      });
    } catch (error) {
      await this.discardImport(importId);
      throw error;
    }
  }

  async discardImport(importId: string): Promise<void> {
    await this.ctx.db.deleteFrom('import_vectors').where('import_id', '=', importId).execute();
    await this.ctx.db.deleteFrom('import_rows').where('import_id', '=', importId).execute();
  }

  async countVectors(collectionIds: string[], vectorName: string): Promise<number> {
    if (collectionIds.length === 0) return 0;
    const row = await this.ctx.db.selectFrom('document_vectors').select((eb) => eb.fn.countAll().as('n')).where('collection_id', 'in', collectionIds).where('vector_name', '=', vectorName).executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async mergeMetadata(collectionId: string, updates: Array<{ documentId: string; fields: Record<string, unknown> }>): Promise<{ matched: number; missing: string[] }> {
    if (updates.length === 0) return { matched: 0, missing: [] };
    const now = this.ctx.now();
    return this.ctx.db.transaction().execute(async (trx) => {
      const ids = [...new Set(updates.map((u) => u.documentId))];
      let query = trx.selectFrom('documents').select(['document_id', 'metadata']).where('collection_id', '=', collectionId).where('document_id', 'in', ids);
      // Row locks keep a concurrent metadata write from being lost between this read and the update
      // (SQLite serialises writers on its own and has no FOR UPDATE).
      if (this.ctx.dialect === 'postgres') query = query.forUpdate();
      const rows = await query.execute();
      const before = new Map(rows.map((r) => [r.document_id, r.metadata]));
      const merged = new Map<string, Record<string, unknown>>();
      let matched = 0;
      const missing: string[] = [];
      for (const { documentId, fields } of updates) {
        const original = before.get(documentId);
        if (original === undefined) {
          missing.push(documentId);
          continue;
        }
        matched++;
        let metadata = merged.get(documentId);
        if (!metadata) {
          const parsed: unknown = JSON.parse(original);
          metadata = isPlainObject(parsed) ? parsed : {};
          merged.set(documentId, metadata);
        }
        deepMerge(metadata, fields);
      }
      const changed: Array<[string, string]> = [];
      for (const [documentId, metadata] of merged) {
        const text = JSON.stringify(metadata);
        // Unchanged documents keep their updated_at: applying the same values twice is a no-op.
        if (text !== before.get(documentId)) changed.push([documentId, text]);
      }
      // One UPDATE … FROM (VALUES …) per chunk rather than one per document (SQLite ≥ 3.33 and
      // PostgreSQL both name VALUES columns column1, column2).
      for (let i = 0; i < changed.length; i += MERGE_CHUNK) {
        const rows = sql.join(changed.slice(i, i + MERGE_CHUNK).map(([id, text]) => sql`(${id}, ${text})`));
        await sql`UPDATE documents SET metadata = v.column2, updated_at = ${now}
                    FROM (VALUES ${rows}) AS v
                   WHERE documents.collection_id = ${collectionId} AND documents.document_id = v.column1`.execute(trx);
      }
      return { matched, missing };
    });
  }

  /**
   * Every stored vector of one name, by collection then document id, read in keyset pages
   * (never OFFSET, never one huge result): memory stays one page on both dialects.
   */
  private async *vectorRows(collectionIds: string[], vectorName: string, pageSize: number): AsyncIterable<{ document_id: string; vector: Uint8Array }> {
    for (const collectionId of [...new Set(collectionIds)].sort()) {
      let after: string | null = null;
      for (;;) {
        const rows = await this.ctx.db
          .selectFrom('document_vectors')
          .select(['document_id', 'vector'])
          .where('collection_id', '=', collectionId)
          .where('vector_name', '=', vectorName)
          .$if(after !== null, (q) => q.where('document_id', '>', after!))
          .orderBy('document_id')
          .limit(pageSize)
          .execute();
        yield* rows;
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1]!.document_id;
      }
    }
  }

  async *streamVectors(collectionIds: string[], vectorName: string, dimensions: number, batchSize: number): AsyncIterable<VectorBatch> {
    if (collectionIds.length === 0) return;
    let ids: string[] = [];
    let buffer = new Float32Array(batchSize * dimensions);
    for await (const row of this.vectorRows(collectionIds, vectorName, batchSize)) {
      if (row.vector.byteLength !== dimensions * 4) {
        throw new Error(`Stored vector '${vectorName}' of document ${row.document_id} has ${row.vector.byteLength / 4} values, expected ${dimensions}`);
      }
      decodeVectorInto(row.vector, buffer, ids.length * dimensions);
      ids.push(row.document_id);
      if (ids.length === batchSize) {
        yield { documentIds: ids, vectors: buffer };
        ids = [];
        buffer = new Float32Array(batchSize * dimensions);
      }
    }
    if (ids.length > 0) yield { documentIds: ids, vectors: buffer.subarray(0, ids.length * dimensions) };
  }
}
