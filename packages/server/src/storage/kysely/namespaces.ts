import { AppError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { NamespaceRecord, PageWindow } from '../../domain/records.ts';
import type { NamespaceStore } from '../store.ts';
import type { NamespacesTable } from '../schema.ts';
import { isUniqueViolation, toCount, type StoreContext } from './shared.ts';

function toRecord(row: NamespacesTable): NamespaceRecord {
  return {
    namespaceId: row.namespace_id,
    namespaceName: row.namespace_name,
    description: row.description,
    settings: JSON.parse(row.settings),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyNamespaceStore implements NamespaceStore {
  constructor(private readonly ctx: StoreContext) {}

  async create(input: { namespaceName: string; description: string | null; settings: Record<string, unknown> }): Promise<NamespaceRecord> {
    const now = this.ctx.now();
    const row: NamespacesTable = {
      namespace_id: newId('namespace'),
      namespace_name: input.namespaceName,
      description: input.description,
      settings: JSON.stringify(input.settings),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.insertInto('namespaces').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('namespace_name_taken', `A namespace named '${input.namespaceName}' already exists; choose another namespace_name`, { namespace_name: input.namespaceName });
      }
      throw error;
    }
    return toRecord(row);
  }

  async findByIdOrName(idOrName: string): Promise<NamespaceRecord | null> {
    const row = await this.ctx.db
      .selectFrom('namespaces')
      .selectAll()
      .where((eb) => eb.or([eb('namespace_id', '=', idOrName), eb('namespace_name', '=', idOrName)]))
      .orderBy('namespace_id')
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(window: PageWindow): Promise<{ rows: NamespaceRecord[]; total: number }> {
    const rows = await this.ctx.db.selectFrom('namespaces').selectAll().orderBy('created_at', 'desc').orderBy('namespace_id').limit(window.limit).offset(window.offset).execute();
    const total = await this.ctx.db.selectFrom('namespaces').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return { rows: rows.map(toRecord), total: toCount(total.n) };
  }

  async delete(namespaceId: string): Promise<boolean> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const collections = trx.selectFrom('collections').select('collection_id').where('namespace_id', '=', namespaceId);
      await trx.deleteFrom('document_vectors').where('collection_id', 'in', collections).execute();
      await trx.deleteFrom('documents').where('namespace_id', '=', namespaceId).execute();
      const result = await trx.deleteFrom('namespaces').where('namespace_id', '=', namespaceId).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    });
  }

  async counts(namespaceId: string): Promise<{ collections: number; documents: number }> {
    const c = await this.ctx.db.selectFrom('collections').select((eb) => eb.fn.countAll().as('n')).where('namespace_id', '=', namespaceId).executeTakeFirstOrThrow();
    const d = await this.ctx.db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('namespace_id', '=', namespaceId).executeTakeFirstOrThrow();
    return { collections: toCount(c.n), documents: toCount(d.n) };
  }
}
