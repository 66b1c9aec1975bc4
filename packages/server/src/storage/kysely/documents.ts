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

  async *streamVectors(collectionIds: string[], vectorName: string, dimensions: number, batchSize: number): AsyncIterable<VectorBatch> {
    if (collectionIds.length === 0) return;
    const query = this.ctx.db
      .selectFrom('document_vectors')
      .select(['document_id', 'vector'])
      .where('collection_id', 'in', collectionIds)
      .where('vector_name', '=', vectorName)
      .orderBy('collection_id')
      .orderBy('document_id');
    let ids: string[] = [];
    let buffer = new Float32Array(batchSize * dimensions);
    for await (const row of query.stream(batchSize)) {
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
