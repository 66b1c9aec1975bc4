import { AppError } from '../../domain/errors.ts';
import type { ClusterRecord } from '../../domain/records.ts';
import type { ClustersTable } from '../schema.ts';
import type { ClusterStore } from '../store.ts';
import { isUniqueViolation, toCount, type StoreContext } from './shared.ts';

function toRecord(row: ClustersTable): ClusterRecord {
  return {
    clusterId: row.cluster_id,
    namespaceId: row.namespace_id,
    clusterName: row.cluster_name,
    description: row.description,
    config: JSON.parse(row.config),
    metadata: JSON.parse(row.metadata),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastExecutedAt: row.last_executed_at === null ? null : Number(row.last_executed_at),
  };
}

function nameTaken(name: string): AppError {
  return new AppError('cluster_name_taken', `A cluster named '${name}' already exists in this namespace; choose another cluster_name`, { cluster_name: name });
}

export class KyselyClusterStore implements ClusterStore {
  constructor(private readonly ctx: StoreContext) {}

  async create(input: Omit<ClusterRecord, 'createdAt' | 'updatedAt' | 'lastExecutedAt'>): Promise<ClusterRecord> {
    const now = this.ctx.now();
    const row: ClustersTable = {
      cluster_id: input.clusterId,
      namespace_id: input.namespaceId,
      cluster_name: input.clusterName,
      description: input.description,
      config: JSON.stringify(input.config),
      metadata: JSON.stringify(input.metadata),
      created_at: now,
      updated_at: now,
      last_executed_at: null,
    };
    try {
      await this.ctx.db.insertInto('clusters').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.clusterName);
      throw error;
    }
    return toRecord(row);
  }

  async findByIdOrName(namespaceId: string, idOrName: string): Promise<ClusterRecord | null> {
    const row = await this.ctx.db
      .selectFrom('clusters')
      .selectAll()
      .where('namespace_id', '=', namespaceId)
      .where((eb) => eb.or([eb('cluster_id', '=', idOrName), eb('cluster_name', '=', idOrName)]))
      .orderBy('cluster_id')
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async update(clusterId: string, patch: { clusterName?: string; description?: string | null; metadata?: Record<string, unknown> }): Promise<ClusterRecord | null> {
    const values: Partial<ClustersTable> = { updated_at: this.ctx.now() };
    if (patch.clusterName !== undefined) values.cluster_name = patch.clusterName;
    if (patch.description !== undefined) values.description = patch.description;
    if (patch.metadata !== undefined) values.metadata = JSON.stringify(patch.metadata);
    try {
      await this.ctx.db.updateTable('clusters').set(values).where('cluster_id', '=', clusterId).execute();
    } catch (error) {
      if (isUniqueViolation(error) && patch.clusterName) throw nameTaken(patch.clusterName);
      throw error;
    }
    const row = await this.ctx.db.selectFrom('clusters').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async delete(clusterId: string): Promise<boolean> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const runs = trx.selectFrom('executions').select('run_id').where('cluster_id', '=', clusterId);
      await trx.deleteFrom('execution_members').where('run_id', 'in', runs).execute();
      await trx.deleteFrom('executions').where('cluster_id', '=', clusterId).execute();
      const result = await trx.deleteFrom('clusters').where('cluster_id', '=', clusterId).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    });
  }

  async listAll(namespaceId: string): Promise<ClusterRecord[]> {
    const rows = await this.ctx.db.selectFrom('clusters').selectAll().where('namespace_id', '=', namespaceId).orderBy('created_at', 'desc').orderBy('cluster_id').execute();
    return rows.map(toRecord);
  }
}
