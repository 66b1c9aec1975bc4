/**
 * Triggers and their fire history. Claims are a compare-and-set on next_fire_at (one UPDATE,
 * the same SQL on SQLite and PostgreSQL): of all schedulers that read the same due row, exactly
 * one updates it, and only that one fires.
 */
import { sql } from 'kysely';
import type { ClusterTriggersTable, TriggerFiresTable } from '../schema.ts';
import type { TriggerClaim, TriggerFireRecord, TriggerListQuery, TriggerRecord, TriggerStatus, TriggerStore, TriggerType } from '../store.ts';
import { toCount, type StoreContext } from './shared.ts';

const num = (v: number | string | bigint | null) => (v === null ? null : Number(v));

function toRecord(row: ClusterTriggersTable): TriggerRecord {
  return {
    triggerId: row.trigger_id,
    namespaceId: row.namespace_id,
    clusterId: row.cluster_id,
    triggerType: row.trigger_type as TriggerType,
    scheduleConfig: JSON.parse(row.schedule_config),
    executionConfig: JSON.parse(row.execution_config),
    status: row.status as TriggerStatus,
    statusReason: row.status_reason,
    description: row.description,
    createdBy: row.created_by,
    nextFireAt: num(row.next_fire_at),
    lastTriggeredAt: num(row.last_triggered_at),
    lastExecutionJobId: row.last_execution_job_id,
    lastExecutionStatus: row.last_execution_status,
    lastExecutionError: row.last_execution_error,
    executionCount: Number(row.execution_count),
    consecutiveFailures: Number(row.consecutive_failures),
    eventCounter: Number(row.event_counter),
    baselineAt: Number(row.baseline_at),
    baselineCount: num(row.baseline_count),
    lastCooldownAt: num(row.last_cooldown_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toFire(row: TriggerFiresTable): TriggerFireRecord {
  return {
    fireId: row.fire_id,
    triggerId: row.trigger_id,
    clusterId: row.cluster_id,
    runId: row.run_id,
    taskId: row.task_id,
    triggeredAt: Number(row.triggered_at),
    status: row.status,
    error: row.error,
    executionTimeMs: num(row.execution_time_ms),
    numClusters: num(row.num_clusters),
    numDocuments: num(row.num_documents),
  };
}

const SORT_COLUMNS: Record<TriggerListQuery['sortBy'], keyof ClusterTriggersTable> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  next_scheduled_at: 'next_fire_at',
  last_triggered_at: 'last_triggered_at',
  execution_count: 'execution_count',
  trigger_type: 'trigger_type',
  status: 'status',
};

export class KyselyTriggerStore implements TriggerStore {
  constructor(private readonly ctx: StoreContext) {}

  private get db() {
    return this.ctx.db;
  }

  async create(record: Omit<TriggerRecord, 'updatedAt'>): Promise<TriggerRecord> {
    const row: ClusterTriggersTable = {
      trigger_id: record.triggerId,
      namespace_id: record.namespaceId,
      cluster_id: record.clusterId,
      trigger_type: record.triggerType,
      schedule_config: JSON.stringify(record.scheduleConfig),
      execution_config: JSON.stringify(record.executionConfig),
      status: record.status,
      status_reason: record.statusReason,
      description: record.description,
      created_by: record.createdBy,
      next_fire_at: record.nextFireAt,
      last_triggered_at: record.lastTriggeredAt,
      last_execution_job_id: record.lastExecutionJobId,
      last_execution_status: record.lastExecutionStatus,
      last_execution_error: record.lastExecutionError,
      execution_count: record.executionCount,
      consecutive_failures: record.consecutiveFailures,
      event_counter: record.eventCounter,
      baseline_at: record.baselineAt,
      baseline_count: record.baselineCount,
      last_cooldown_at: record.lastCooldownAt,
      created_at: record.createdAt,
      updated_at: record.createdAt,
      deleted_at: null,
    };
    await this.db.insertInto('cluster_triggers').values(row).execute();
    return toRecord(row);
  }

  async get(namespaceId: string, triggerId: string): Promise<TriggerRecord | null> {
    const row = await this.db
      .selectFrom('cluster_triggers')
      .selectAll()
      .where('namespace_id', '=', namespaceId)
      .where('trigger_id', '=', triggerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async findById(triggerId: string): Promise<TriggerRecord | null> {
    const row = await this.db.selectFrom('cluster_triggers').selectAll().where('trigger_id', '=', triggerId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(namespaceId: string, query: TriggerListQuery): Promise<{ rows: TriggerRecord[]; total: number }> {
    let base = this.db.selectFrom('cluster_triggers').where('namespace_id', '=', namespaceId).where('deleted_at', 'is', null);
    if (query.clusterId !== null) base = base.where('cluster_id', '=', query.clusterId);
    if (query.triggerType !== null) base = base.where('trigger_type', '=', query.triggerType);
    if (query.status !== null) base = base.where('status', '=', query.status);
    const counted = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const column = SORT_COLUMNS[query.sortBy];
    // Nulls last in both directions and on both dialects (their defaults differ).
    const rows = await base
      .selectAll()
      .orderBy(sql`case when ${sql.ref(column)} is null then 1 else 0 end`)
      .orderBy(column, query.direction)
      .orderBy('trigger_id', 'asc')
      .limit(query.window.limit)
      .offset(query.window.offset)
      .execute();
    return { rows: rows.map(toRecord), total: toCount(counted.n) };
  }

  async update(triggerId: string, patch: Parameters<TriggerStore['update']>[1], now: number): Promise<TriggerRecord | null> {
    const set: Partial<ClusterTriggersTable> = { updated_at: now };
    if (patch.scheduleConfig !== undefined) set.schedule_config = JSON.stringify(patch.scheduleConfig);
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.statusReason !== undefined) set.status_reason = patch.statusReason;
    if (patch.nextFireAt !== undefined) set.next_fire_at = patch.nextFireAt;
    if (patch.consecutiveFailures !== undefined) set.consecutive_failures = patch.consecutiveFailures;
    if (patch.baselineAt !== undefined) set.baseline_at = patch.baselineAt;
    if (patch.baselineCount !== undefined) set.baseline_count = patch.baselineCount;
    if (patch.eventCounter !== undefined) set.event_counter = patch.eventCounter;
    await this.db.updateTable('cluster_triggers').set(set).where('trigger_id', '=', triggerId).where('deleted_at', 'is', null).execute();
    const row = await this.db.selectFrom('cluster_triggers').selectAll().where('trigger_id', '=', triggerId).where('deleted_at', 'is', null).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async softDelete(triggerId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('cluster_triggers')
      .set({ deleted_at: now, updated_at: now, next_fire_at: null, status: 'disabled' })
      .where('trigger_id', '=', triggerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return toCount(result.numUpdatedRows) > 0;
  }

  async due(now: number, limit: number): Promise<TriggerRecord[]> {
    const rows = await this.db
      .selectFrom('cluster_triggers')
      .selectAll()
      .where('status', '=', 'active')
      .where('deleted_at', 'is', null)
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async claim(triggerId: string, expectedNextFireAt: number, claim: TriggerClaim, now: number): Promise<boolean> {
    const set: Record<string, unknown> = { next_fire_at: claim.nextFireAt, updated_at: now };
    if (claim.eventCounter !== undefined) set.event_counter = claim.eventCounter;
    if (claim.lastCooldownAt !== undefined) set.last_cooldown_at = claim.lastCooldownAt;
    if (claim.fired) {
      set.last_triggered_at = claim.fired.at;
      set.baseline_at = claim.fired.at;
      set.baseline_count = claim.fired.baselineCount;
      set.event_counter = 0;
    }
    const result = await this.db
      .updateTable('cluster_triggers')
      .set(set as Partial<ClusterTriggersTable>)
      .where('trigger_id', '=', triggerId)
      .where('next_fire_at', '=', expectedNextFireAt)
      .where('status', '=', 'active')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return toCount(result.numUpdatedRows) === 1;
  }

  async recordFire(fire: TriggerFireRecord, started: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('trigger_fires')
        .values({
          fire_id: fire.fireId,
          trigger_id: fire.triggerId,
          cluster_id: fire.clusterId,
          run_id: fire.runId,
          task_id: fire.taskId,
          triggered_at: fire.triggeredAt,
          status: fire.status,
          error: fire.error,
          execution_time_ms: fire.executionTimeMs,
          num_clusters: fire.numClusters,
          num_documents: fire.numDocuments,
        })
        .execute();
      if (started) {
        await trx
          .updateTable('cluster_triggers')
          .set((eb) => ({
            execution_count: eb('execution_count', '+', 1),
            last_execution_job_id: fire.taskId,
            last_execution_status: fire.status,
            updated_at: fire.triggeredAt,
          }))
          .where('trigger_id', '=', fire.triggerId)
          .execute();
      }
    });
  }

  async unsettledFires(limit: number): Promise<TriggerFireRecord[]> {
    const rows = await this.db
      .selectFrom('trigger_fires')
      .selectAll()
      .where('status', 'in', ['pending', 'processing'])
      .orderBy('triggered_at')
      .limit(limit)
      .execute();
    return rows.map(toFire);
  }

  async markFireProcessing(fireId: string): Promise<void> {
    await this.db.updateTable('trigger_fires').set({ status: 'processing' }).where('fire_id', '=', fireId).where('status', '=', 'pending').execute();
  }

  async settleFire(
    fire: TriggerFireRecord,
    outcome: { status: 'completed' | 'failed'; error: string | null; executionTimeMs: number | null; numClusters: number | null; numDocuments: number | null },
    maxFailures: number,
    now: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const settled = await trx
        .updateTable('trigger_fires')
        .set({ status: outcome.status, error: outcome.error, execution_time_ms: outcome.executionTimeMs, num_clusters: outcome.numClusters, num_documents: outcome.numDocuments })
        .where('fire_id', '=', fire.fireId)
        .where('status', '=', fire.status)
        .executeTakeFirst();
      if (toCount(settled.numUpdatedRows) !== 1) return false;
      const failed = outcome.status === 'failed';
      await trx
        .updateTable('cluster_triggers')
        .set((eb) => ({
          last_execution_status: outcome.status,
          last_execution_error: outcome.error,
          consecutive_failures: failed ? eb('consecutive_failures', '+', 1) : sql<number>`0`,
          updated_at: now,
        }))
        .where('trigger_id', '=', fire.triggerId)
        .execute();
      if (failed) {
        await trx
          .updateTable('cluster_triggers')
          .set({
            status: 'failed',
            next_fire_at: null,
            status_reason: `Paused automatically after ${maxFailures} consecutive failed executions; last error: ${outcome.error ?? 'unknown'}. Fix the cause, then POST /v1/clusters/triggers/${fire.triggerId}/resume.`,
            updated_at: now,
          })
          .where('trigger_id', '=', fire.triggerId)
          .where('status', '=', 'active')
          .where('consecutive_failures', '>=', maxFailures)
          .execute();
      }
      return true;
    });
  }

  async history(triggerId: string, query: { status: string | null; window: { limit: number; offset: number } }): Promise<{ rows: TriggerFireRecord[]; total: number }> {
    let base = this.db.selectFrom('trigger_fires').where('trigger_id', '=', triggerId);
    if (query.status !== null) base = base.where('status', '=', query.status);
    const counted = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('triggered_at', 'desc').orderBy('fire_id', 'desc').limit(query.window.limit).offset(query.window.offset).execute();
    return { rows: rows.map(toFire), total: toCount(counted.n) };
  }

  async countDocumentsCreatedAfter(collectionIds: string[], since: number): Promise<number> {
    if (collectionIds.length === 0) return 0;
    const row = await this.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('collection_id', 'in', collectionIds)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async countDocuments(collectionIds: string[]): Promise<number> {
    if (collectionIds.length === 0) return 0;
    const row = await this.db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('collection_id', 'in', collectionIds).executeTakeFirstOrThrow();
    return toCount(row.n);
  }
}
