import { AppError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { CollectionRecord, PageWindow } from '../../domain/records.ts';
import type { CollectionStore } from '../store.ts';
import type { CollectionsTable } from '../schema.ts';
import { isUniqueViolation, toCount, type StoreContext } from './shared.ts';

function toRecord(row: CollectionsTable): CollectionRecord {
  return {
    collectionId: row.collection_id,
    namespaceId: row.namespace_id,
    collectionName: row.collection_name,
    description: row.description,
    metadata: JSON.parse(row.metadata),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyCollectionStore implements CollectionStore {
  constructor(private readonly ctx: StoreContext) {}

  async create(input: { namespaceId: string; collectionName: string; description: string | null; metadata: Record<string, unknown> }): Promise<CollectionRecord> {
    const now = this.ctx.now();
    const row: CollectionsTable = {
      collection_id: newId('collection'),
      namespace_id: input.namespaceId,
      collection_name: input.collectionName,
      description: input.description,
      metadata: JSON.stringify(input.metadata),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.insertInto('collections').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('collection_name_taken', `A collection named '${input.collectionName}' already exists in this namespace; choose another collection_name`, { collection_name: input.collectionName });
      }
      throw error;
    }
    return toRecord(row);
  }

  async findByIdOrName(namespaceId: string, idOrName: string): Promise<CollectionRecord | null> {
    const row = await this.ctx.db
      .selectFrom('collections')
      .selectAll()
      .where('namespace_id', '=', namespaceId)
      .where((eb) => eb.or([eb('collection_id', '=', idOrName), eb('collection_name', '=', idOrName)]))
      .orderBy('collection_id')
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(namespaceId: string, window: PageWindow): Promise<{ rows: CollectionRecord[]; total: number }> {
    const rows = await this.ctx.db.selectFrom('collections').selectAll().where('namespace_id', '=', namespaceId).orderBy('created_at', 'desc').orderBy('collection_id').limit(window.limit).offset(window.offset).execute();
    const total = await this.ctx.db.selectFrom('collections').select((eb) => eb.fn.countAll().as('n')).where('namespace_id', '=', namespaceId).executeTakeFirstOrThrow();
    return { rows: rows.map(toRecord), total: toCount(total.n) };
  }

  async delete(collectionId: string): Promise<boolean> {
    return this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('document_vectors').where('collection_id', '=', collectionId).execute();
      await trx.deleteFrom('documents').where('collection_id', '=', collectionId).execute();
      const result = await trx.deleteFrom('collections').where('collection_id', '=', collectionId).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    });
  }

  async vectorDimensions(collectionId: string): Promise<Map<string, number>> {
    const rows = await this.ctx.db.selectFrom('collection_vectors').select(['vector_name', 'dimensions']).where('collection_id', '=', collectionId).execute();
    return new Map(rows.map((r) => [r.vector_name, Number(r.dimensions)]));
  }

  async documentCount(collectionId: string): Promise<number> {
    const row = await this.ctx.db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('collection_id', '=', collectionId).executeTakeFirstOrThrow();
    return toCount(row.n);
  }
}
