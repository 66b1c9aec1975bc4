import { sql, type Expression, type SqlBool } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { ExecutionStatus } from '../../domain/execution-status.ts';
import type { CentroidSummary, ExecutionDetails, ExecutionOutcome, ExecutionRecord, MemberRow } from '../../domain/records.ts';
import { compileFilter, likeEscape } from '../filter-sql.ts';
import type { ExecutionsTable } from '../schema.ts';
import type { ExecutionListQuery, ExecutionStore } from '../store.ts';
import { isUniqueViolation, parseJson, toCount, type StoreContext } from './shared.ts';

/** Public field names (filters, sort) → columns of the executions table. */
export const EXECUTION_COLUMNS: Readonly<Record<string, string>> = {
  run_id: 'run_id',
  status: 'status',
  created_at: 'created_at',
  started_at: 'started_at',
  completed_at: 'completed_at',
  num_clusters: 'num_clusters',
  num_points: 'num_points',
  error_message: 'error_message',
  'metrics.silhouette_score': 'silhouette_score',
  'metrics.davies_bouldin_index': 'davies_bouldin_index',
  'metrics.calinski_harabasz_score': 'calinski_harabasz_score',
};

const num = (v: number | null) => (v === null ? null : Number(v));

function toRecord(row: ExecutionsTable): ExecutionRecord {
  const completed = row.status === 'completed';
  return {
    runId: row.run_id,
    taskId: row.task_id,
    clusterId: row.cluster_id,
    namespaceId: row.namespace_id,
    status: row.status as ExecutionStatus,
    canceled: Number(row.canceled) === 1,
    cancelRequested: Number(row.cancel_requested) === 1,
    numClusters: Number(row.num_clusters),
    numPoints: Number(row.num_points),
    metrics: completed
      ? {
          silhouette_score: num(row.silhouette_score),
          davies_bouldin_index: num(row.davies_bouldin_index),
          calinski_harabasz_score: num(row.calinski_harabasz_score),
          silhouette_sample_size: num(row.silhouette_sample_size),
        }
      : null,
    centroids: parseJson<CentroidSummary[]>(row.centroids),
    llmLabelingErrors: parseJson<string[]>(row.llm_labeling_errors),
    details: parseJson<ExecutionDetails>(row.details),
    errorMessage: row.error_message,
    config: JSON.parse(row.config),
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    completedAt: num(row.completed_at),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseOwner: row.lease_owner,
    leaseUntil: num(row.lease_until),
  };
}

/** What `search` matches: run id, error message, and every centroid's label, summary and keywords. */
export function searchTextOf(runId: string, errorMessage: string | null, centroids: CentroidSummary[] | null): string {
  const parts = [runId, errorMessage ?? ''];
  for (const c of centroids ?? []) parts.push(c.label ?? '', c.summary ?? '', (c.keywords ?? []).join(' '));
  return parts.filter(Boolean).join('\n').toLowerCase();
}

const MEMBER_CHUNK = 1000;

export class KyselyExecutionStore implements ExecutionStore {
  constructor(private readonly ctx: StoreContext) {}

  private get db() {
    return this.ctx.db;
  }

  async create(input: { runId: string; taskId: string; clusterId: string; namespaceId: string; config: Record<string, unknown>; maxAttempts: number }): Promise<ExecutionRecord> {
    const now = this.ctx.now();
    const row: ExecutionsTable = {
      run_id: input.runId,
      task_id: input.taskId,
      cluster_id: input.clusterId,
      namespace_id: input.namespaceId,
      status: 'pending',
      in_flight_cluster_id: input.clusterId,
      cancel_requested: 0,
      canceled: 0,
      num_clusters: 0,
      num_points: 0,
      silhouette_score: null,
      davies_bouldin_index: null,
      calinski_harabasz_score: null,
      silhouette_sample_size: null,
      centroids: null,
      llm_labeling_errors: null,
      details: null,
      search_text: searchTextOf(input.runId, null, null),
      error_message: null,
      config: JSON.stringify(input.config),
      created_at: now,
      started_at: null,
      completed_at: null,
      attempts: 0,
      max_attempts: input.maxAttempts,
      run_after: now,
      lease_owner: null,
      lease_until: null,
    };
    // The in-flight execution that blocked the insert may finish before we look it up: then the
    // cluster is free again and one more try is the right answer, not a 409 naming nobody.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx.insertInto('executions').values(row).execute();
          await trx.updateTable('clusters').set({ last_executed_at: now }).where('cluster_id', '=', input.clusterId).execute();
        });
        return toRecord(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const running = await this.inFlightFor(input.clusterId);
        if (!running && attempt < 3) continue;
        throw new AppError(
          'execution_in_flight',
          `Cluster ${input.clusterId} already has execution ${running?.runId ?? '(unknown)'} ${running?.status ?? 'in flight'}; wait for it to finish or cancel it first`,
          { cluster_id: input.clusterId, run_id: running?.runId ?? null, status: running?.status ?? null },
        );
      }
    }
  }

  async get(clusterId: string, runId: string): Promise<ExecutionRecord | null> {
    const row = await this.db.selectFrom('executions').selectAll().where('cluster_id', '=', clusterId).where('run_id', '=', runId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async getByTaskId(taskId: string): Promise<ExecutionRecord | null> {
    const row = await this.db.selectFrom('executions').selectAll().where('task_id', '=', taskId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async inFlightFor(clusterId: string): Promise<ExecutionRecord | null> {
    const row = await this.db.selectFrom('executions').selectAll().where('in_flight_cluster_id', '=', clusterId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async latest(clusterId: string): Promise<ExecutionRecord | null> {
    const row = await this.db.selectFrom('executions').selectAll().where('cluster_id', '=', clusterId).orderBy('created_at', 'desc').orderBy('run_id', 'desc').limit(1).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  private whereOf(query: ExecutionListQuery): Expression<SqlBool>[] {
    const clauses: Expression<SqlBool>[] = [];
    if (query.filter) clauses.push(compileFilter(query.filter, EXECUTION_COLUMNS, this.ctx.dialect));
    for (const term of query.search) clauses.push(sql<boolean>`search_text LIKE ${'%' + likeEscape(term.toLowerCase()) + '%'} ESCAPE '\\'`);
    return clauses;
  }

  private async page(scope: Expression<SqlBool>, query: ExecutionListQuery): Promise<{ rows: ExecutionRecord[]; total: number }> {
    const clauses = [scope, ...this.whereOf(query)];
    const column = EXECUTION_COLUMNS[query.sort.field] ?? 'created_at';
    const direction = query.sort.direction === 'asc' ? sql`ASC` : sql`DESC`;
    const rows = await this.db
      .selectFrom('executions')
      .selectAll()
      .where((eb) => eb.and(clauses))
      // Missing values (metrics of unfinished runs) sort last in both directions.
      .orderBy(sql`${sql.ref(column)} ${direction} NULLS LAST`)
      .orderBy('run_id', query.sort.direction)
      .limit(query.window.limit)
      .offset(query.window.offset)
      .execute();
    const total = await this.db.selectFrom('executions').select((eb) => eb.fn.countAll().as('n')).where((eb) => eb.and(clauses)).executeTakeFirstOrThrow();
    return { rows: rows.map(toRecord), total: toCount(total.n) };
  }

  list(clusterId: string, query: ExecutionListQuery): Promise<{ rows: ExecutionRecord[]; total: number }> {
    return this.page(sql<boolean>`cluster_id = ${clusterId}`, query);
  }

  listTasks(namespaceIds: string[] | null, query: ExecutionListQuery): Promise<{ rows: ExecutionRecord[]; total: number }> {
    const scope = namespaceIds === null ? sql<boolean>`1 = 1` : namespaceIds.length === 0 ? sql<boolean>`1 = 0` : sql<boolean>`namespace_id IN (${sql.join(namespaceIds)})`;
    return this.page(scope, query);
  }

  async claimNext(owner: string, now: number, leaseUntil: number, namespaceLimit = 0): Promise<ExecutionRecord | null> {
    // A namespace at its limit is skipped, so its backlog never blocks other namespaces.
    const underLimit = namespaceLimit > 0
      ? sql`AND (SELECT count(*) FROM executions p WHERE p.namespace_id = e.namespace_id AND p.status = 'processing') < ${namespaceLimit}`
      : sql``;
    if (this.ctx.dialect === 'sqlite') {
      // One statement holds SQLite's write lock from choosing to claiming: atomic even across processes.
      const result = await sql<ExecutionsTable>`
        UPDATE executions
           SET status = 'processing', lease_owner = ${owner}, lease_until = ${leaseUntil},
               attempts = attempts + 1, started_at = COALESCE(started_at, ${now})
         WHERE run_id = (
               SELECT e.run_id FROM executions e
                WHERE e.status = 'pending' AND e.run_after <= ${now} AND e.cancel_requested = 0 ${underLimit}
                ORDER BY e.run_after, e.created_at, e.run_id
                LIMIT 1)
           AND status = 'pending'
     RETURNING *`.execute(this.db);
      const row = result.rows[0];
      return row ? toRecord(row) : null;
    }
    // PostgreSQL: many workers claim at once; SKIP LOCKED hands each a different row without waiting.
    return this.db.transaction().execute(async (trx) => {
      const picked = await sql<{ run_id: string; namespace_id: string }>`
        SELECT e.run_id, e.namespace_id FROM executions e
         WHERE e.status = 'pending' AND e.run_after <= ${now} AND e.cancel_requested = 0 ${underLimit}
         ORDER BY e.run_after, e.created_at, e.run_id
         LIMIT 1
           FOR UPDATE SKIP LOCKED`.execute(trx);
      const candidate = picked.rows[0];
      if (!candidate) return null;
      if (namespaceLimit > 0) {
        // Two workers can each see the namespace's last free slot; claims of one namespace take
        // turns on an advisory lock (held to commit) and count again, so the limit holds exactly.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${'centroid.namespace.' + candidate.namespace_id}))`.execute(trx);
        const busy = await trx
          .selectFrom('executions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('namespace_id', '=', candidate.namespace_id)
          .where('status', '=', 'processing')
          .executeTakeFirstOrThrow();
        if (toCount(busy.n) >= namespaceLimit) return null;
      }
      const row = await trx
        .updateTable('executions')
        .set((eb) => ({
          status: 'processing',
          lease_owner: owner,
          lease_until: leaseUntil,
          attempts: eb('attempts', '+', 1),
          started_at: sql<number>`COALESCE(started_at, ${now})`,
        }))
        .where('run_id', '=', candidate.run_id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    });
  }

  async heartbeat(runId: string, owner: string, leaseUntil: number): Promise<{ cancelRequested: boolean } | null> {
    const result = await this.db
      .updateTable('executions')
      .set({ lease_until: leaseUntil })
      .where('run_id', '=', runId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'processing')
      .returning(['cancel_requested'])
      .executeTakeFirst();
    return result ? { cancelRequested: Number(result.cancel_requested) === 1 } : null;
  }

  async complete(runId: string, owner: string, outcome: ExecutionOutcome, members: MemberRow[], now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('executions')
        .set({
          status: 'completed',
          in_flight_cluster_id: null,
          num_clusters: outcome.numClusters,
          num_points: outcome.numPoints,
          silhouette_score: outcome.metrics.silhouette_score,
          davies_bouldin_index: outcome.metrics.davies_bouldin_index,
          calinski_harabasz_score: outcome.metrics.calinski_harabasz_score,
          silhouette_sample_size: outcome.metrics.silhouette_sample_size,
          centroids: JSON.stringify(outcome.centroids),
          llm_labeling_errors: outcome.llmLabelingErrors ? JSON.stringify(outcome.llmLabelingErrors) : null,
          details: JSON.stringify(outcome.details),
          search_text: searchTextOf(runId, null, outcome.centroids),
          completed_at: now,
          lease_owner: null,
          lease_until: null,
        })
        .where('run_id', '=', runId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      if (toCount(result.numUpdatedRows) === 0) return false;
      for (let i = 0; i < members.length; i += MEMBER_CHUNK) {
        await trx
          .insertInto('execution_members')
          .values(
            members.slice(i, i + MEMBER_CHUNK).map((m, j) => ({
              run_id: runId,
              member_index: i + j,
              document_id: m.documentId,
              cluster_id: m.clusterId,
              distance_to_centroid: m.distanceToCentroid,
              x: m.x ?? null,
              y: m.y ?? null,
              x3: m.x3 ?? null,
              y3: m.y3 ?? null,
              z3: m.z3 ?? null,
            })),
          )
          .execute();
      }
      return true;
    });
  }

  async fail(runId: string, owner: string | null, message: string, canceled: boolean, now: number): Promise<boolean> {
    let query = this.db
      .updateTable('executions')
      .set({
        status: 'failed',
        in_flight_cluster_id: null,
        error_message: message,
        search_text: searchTextOf(runId, message, null),
        canceled: canceled ? 1 : 0,
        completed_at: now,
        lease_owner: null,
        lease_until: null,
      })
      .where('run_id', '=', runId)
      .where('status', 'in', ['pending', 'processing']);
    if (owner !== null) query = query.where('lease_owner', '=', owner);
    const result = await query.executeTakeFirst();
    return toCount(result.numUpdatedRows) > 0;
  }

  async requestCancel(runId: string, message: string, now: number): Promise<ExecutionRecord | null> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('executions').set({ cancel_requested: 1 }).where('run_id', '=', runId).where('status', 'in', ['pending', 'processing']).execute();
      // Nobody holds a pending execution, so it can end right here.
      await trx
        .updateTable('executions')
        .set({ status: 'failed', in_flight_cluster_id: null, canceled: 1, error_message: message, search_text: searchTextOf(runId, message, null), completed_at: now })
        .where('run_id', '=', runId)
        .where('status', '=', 'pending')
        .execute();
    });
    const row = await this.db.selectFrom('executions').selectAll().where('run_id', '=', runId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async release(runId: string, owner: string): Promise<boolean> {
    const result = await this.db
      .updateTable('executions')
      .set((eb) => ({ status: 'pending', lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
      .where('run_id', '=', runId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    return toCount(result.numUpdatedRows) > 0;
  }

  async recoverExpired(now: number, retryDelayMs: number): Promise<{ requeued: string[]; failed: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      const expired = await trx
        .selectFrom('executions')
        .select(['run_id', 'attempts', 'max_attempts', 'cancel_requested'])
        .where('status', '=', 'processing')
        .where('lease_until', '<', now)
        // Several workers reap at once on PostgreSQL: each takes the rows no other reaper holds.
        .$if(this.ctx.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      const requeued: string[] = [];
      const failed: string[] = [];
      for (const row of expired) {
        const canceled = Number(row.cancel_requested) === 1;
        if (!canceled && Number(row.attempts) < Number(row.max_attempts)) {
          const result = await trx.updateTable('executions').set({ status: 'pending', lease_owner: null, lease_until: null, run_after: now + retryDelayMs }).where('run_id', '=', row.run_id).where('status', '=', 'processing').where('lease_until', '<', now).executeTakeFirst();
          if (toCount(result.numUpdatedRows) > 0) requeued.push(row.run_id);
        } else {
          const message = canceled
            ? 'Execution canceled by request; its worker stopped before confirming'
            : `Execution abandoned: the worker running it stopped responding on each of ${row.attempts} attempts (crash, out of memory, or killed). Try a smaller sample_size or check the server logs.`;
          const result = await trx
            .updateTable('executions')
            .set({ status: 'failed', in_flight_cluster_id: null, canceled: canceled ? 1 : 0, error_message: message, search_text: searchTextOf(row.run_id, message, null), completed_at: now, lease_owner: null, lease_until: null })
            .where('run_id', '=', row.run_id)
            .where('status', '=', 'processing')
            .where('lease_until', '<', now)
            .executeTakeFirst();
          if (toCount(result.numUpdatedRows) > 0) failed.push(row.run_id);
        }
      }
      return { requeued, failed };
    });
  }

  async membersPage(runId: string, afterIndex: number, limit: number): Promise<Array<MemberRow & { memberIndex: number }>> {
    const rows = await this.db.selectFrom('execution_members').selectAll().where('run_id', '=', runId).where('member_index', '>', afterIndex).orderBy('member_index').limit(limit).execute();
    return rows.map((r) => ({
      memberIndex: Number(r.member_index),
      documentId: r.document_id,
      clusterId: r.cluster_id,
      distanceToCentroid: num(r.distance_to_centroid),
      x: num(r.x),
      y: num(r.y),
      x3: num(r.x3),
      y3: num(r.y3),
      z3: num(r.z3),
    }));
  }

  async nearestMembers(runId: string, clusterIds: string[], perCluster: number): Promise<Map<string, Array<{ documentId: string; distanceToCentroid: number }>>> {
    const out = new Map<string, Array<{ documentId: string; distanceToCentroid: number }>>();
    // One range scan of execution_members_by_cluster per cluster; noise and unmeasured members have no distance.
    for (const clusterId of clusterIds) {
      const rows = await this.db
        .selectFrom('execution_members')
        .select(['document_id', 'distance_to_centroid'])
        .where('run_id', '=', runId)
        .where('cluster_id', '=', clusterId)
        .where('distance_to_centroid', 'is not', null)
        .orderBy('distance_to_centroid')
        .orderBy('member_index')
        .limit(perCluster)
        .execute();
      out.set(clusterId, rows.map((r) => ({ documentId: r.document_id, distanceToCentroid: Number(r.distance_to_centroid) })));
    }
    return out;
  }

  async memberCount(runId: string): Promise<number> {
    const row = await this.db.selectFrom('execution_members').select((eb) => eb.fn.countAll().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
    return toCount(row.n);
  }
}
