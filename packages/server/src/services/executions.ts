import { AppError, invalid, notFound } from '../domain/errors.ts';
import { EXECUTION_FILTER_FIELDS, EXECUTION_SORT_FIELDS } from '../domain/execution-fields.ts';
import { CANCELED_MESSAGE, EXECUTION_STATUSES, isTerminal } from '../domain/execution-status.ts';
import { parseFilters } from '../domain/filters.ts';
import { newId } from '../domain/ids.ts';
import type { ClusterRecord, ExecutionRecord, NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import type { ExecutionNotifier } from '../queue/execution-notifier.ts';
import { encodeCursor, paginationView, resolvePage, searchTerms, type PageQuery } from './pagination.ts';
import { executionView, taskView } from './views.ts';
import { columnsOf, coordinatesOf, exportRowPages, type Dimensions } from '../export/member-export.ts';
import { csvChunks } from '../export/csv.ts';
import { parquetChunks } from '../export/parquet.ts';

type Clock = () => number;

export interface ArtifactsQuery {
  include_centroids?: boolean;
  include_members?: boolean;
  limit?: number;
  cursor?: string;
  projection_method?: '2d' | '3d';
  format?: 'json' | 'csv' | 'parquet';
  representatives?: number;
}

export interface ListExecutionsBody {
  filters?: unknown;
  sort?: { field: string; direction?: 'asc' | 'desc' } | null;
  search?: string | null;
}

/** The seed's stats: computed over the executions of the page returned. */
export function executionStats(rows: ExecutionRecord[]) {
  const byStatus: Record<string, number> = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0]));
  let durationSum = 0;
  let durations = 0;
  let points = 0;
  let clusters = 0;
  for (const e of rows) {
    byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    if (e.completedAt !== null) {
      durationSum += e.completedAt - e.createdAt;
      durations++;
    }
    points += e.numPoints;
    clusters += e.numClusters;
  }
  return {
    total_executions: rows.length,
    executions_by_status: byStatus,
    avg_execution_time_ms: durations ? durationSum / durations : 0,
    total_documents_clustered: points,
    avg_num_clusters: rows.length ? clusters / rows.length : 0,
  };
}

export function parseExecutionQuery(body: ListExecutionsBody) {
  const filter = parseFilters(body.filters, ['body', 'filters'], (f) => EXECUTION_FILTER_FIELDS[f], Object.keys(EXECUTION_FILTER_FIELDS).join(', '));
  const sortField = body.sort?.field ?? 'created_at';
  if (!(EXECUTION_SORT_FIELDS as readonly string[]).includes(sortField)) {
    throw invalid(['body', 'sort', 'field'], `Cannot sort on '${sortField}'; sortable fields: ${EXECUTION_SORT_FIELDS.join(', ')}`);
  }
  // With no sort at all, newest first; an explicit sort without direction follows the reference's default (asc).
  const direction = body.sort ? (body.sort.direction ?? 'asc') : 'desc';
  return { filter, search: searchTerms(body.search), sort: { field: sortField, direction } as const };
}

export class ExecutionService {
  constructor(
    private readonly store: Store,
    private readonly notifier: ExecutionNotifier,
    private readonly options: { maxAttempts: number; now: Clock },
  ) {}

  async execute(cluster: ClusterRecord) {
    const execution = await this.store.executions.create({
      runId: newId('run'),
      taskId: newId('task'),
      clusterId: cluster.clusterId,
      namespaceId: cluster.namespaceId,
      config: cluster.config,
      maxAttempts: this.options.maxAttempts,
    });
    this.notifier.wake();
    return taskView(execution);
  }

  async latest(cluster: ClusterRecord) {
    const e = await this.store.executions.latest(cluster.clusterId);
    return e ? executionView(e) : null;
  }

  async require(cluster: ClusterRecord, runId: string): Promise<ExecutionRecord> {
    const e = await this.store.executions.get(cluster.clusterId, runId);
    if (!e) throw notFound('execution', runId);
    return e;
  }

  async get(cluster: ClusterRecord, runId: string) {
    return executionView(await this.require(cluster, runId));
  }

  async list(cluster: ClusterRecord, body: ListExecutionsBody, query: PageQuery, path: string) {
    const parsed = parseExecutionQuery(body);
    const window = resolvePage(query);
    const { rows, total } = await this.store.executions.list(cluster.clusterId, { ...parsed, window });
    return {
      results: rows.map(executionView),
      pagination: paginationView(total, window, path),
      total_count: total,
      stats: executionStats(rows),
    };
  }

  /** Requests cancellation and waits briefly so the answer usually shows the final state. */
  async cancel(execution: ExecutionRecord, waitMs = 3000) {
    if (isTerminal(execution.status)) {
      if (execution.canceled) return this.cancelView(execution);
      throw new AppError('execution_not_cancelable', `Execution ${execution.runId} already ${execution.status}; only pending or processing executions can be canceled`, {
        run_id: execution.runId,
        status: execution.status,
      });
    }
    let current = await this.store.executions.requestCancel(execution.runId, CANCELED_MESSAGE, this.options.now());
    this.notifier.cancel(execution.runId);
    const deadline = Date.now() + waitMs;
    while (current && !isTerminal(current.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = await this.store.executions.get(execution.clusterId, execution.runId);
    }
    return this.cancelView(current ?? execution);
  }

  private cancelView(e: ExecutionRecord) {
    const done = isTerminal(e.status);
    return {
      run_id: e.runId,
      cluster_id: e.clusterId,
      task_id: e.taskId,
      status: e.status,
      message: done ? (e.errorMessage ?? CANCELED_MESSAGE) : 'Cancellation requested; the execution stops at its next check',
    };
  }

  /** One page of an execution's members in member order (for streaming encoders such as the dashboard's scatter). */
  membersPage(e: ExecutionRecord, afterIndex: number, limit: number) {
    return this.store.executions.membersPage(e.runId, afterIndex, limit);
  }

  memberCount(e: ExecutionRecord) {
    return this.store.executions.memberCount(e.runId);
  }

  async artifacts(cluster: ClusterRecord, runId: string, query: ArtifactsQuery) {
    return this.artifactsOf(await this.require(cluster, runId), query);
  }

  /** The newest completed execution of a cluster (what GET /v1/clusters/{id}/artifacts serves). */
  async latestCompleted(cluster: ClusterRecord): Promise<ExecutionRecord> {
    const latest = await this.store.executions.latest(cluster.clusterId);
    if (latest?.status === 'completed') return latest;
    const { rows } = await this.store.executions.list(cluster.clusterId, {
      filter: { kind: 'condition', field: 'status', fieldKind: 'string', operator: 'eq', value: 'completed', caseSensitive: true },
      search: [],
      sort: { field: 'created_at', direction: 'desc' },
      window: { limit: 1, offset: 0 },
    });
    if (!rows[0]) {
      throw new AppError('no_completed_execution', `Cluster ${cluster.clusterId} has no completed execution yet; run POST /v1/clusters/${cluster.clusterId}/execute and wait for it to complete`, { cluster_id: cluster.clusterId });
    }
    return rows[0];
  }

  async artifactsOf(e: ExecutionRecord, query: ArtifactsQuery) {
    const limit = query.limit ?? 1000;
    const dimensions: Dimensions = query.projection_method === '3d' ? 3 : 2;
    let after = -1;
    if (query.cursor) {
      const decoded = Number(Buffer.from(query.cursor, 'base64url').toString('utf8').replace(/^m:/, ''));
      if (!Number.isInteger(decoded) || decoded < -1) throw invalid(['query', 'cursor'], 'Invalid cursor: pass next_cursor from the previous page unchanged');
      after = decoded;
    }
    let members = null;
    let nextCursor: string | null = null;
    if (query.include_members) {
      const rows = await this.store.executions.membersPage(e.runId, after, limit + 1);
      const page = rows.slice(0, limit);
      members = page.map((m) => ({ document_id: m.documentId, cluster_id: m.clusterId, distance_to_centroid: m.distanceToCentroid, ...coordinatesOf(m, dimensions) }));
      if (rows.length > limit) nextCursor = Buffer.from(`m:${page[page.length - 1]!.memberIndex}`).toString('base64url');
    }
    return {
      cluster_id: e.clusterId,
      run_id: e.runId,
      status: e.status,
      centroids: query.include_centroids === false ? null : await this.artifactCentroids(e, dimensions, query.representatives ?? 5),
      members,
      projection_method: dimensions === 3 ? ('3d' as const) : ('2d' as const),
      projection: (e.details?.projection as Record<string, unknown> | undefined) ?? null,
      next_cursor: nextCursor,
      total_members: await this.store.executions.memberCount(e.runId),
    };
  }

  private async artifactCentroids(e: ExecutionRecord, dimensions: Dimensions, representatives: number) {
    if (!e.centroids) return null;
    const measured = e.centroids.filter((c) => c.cluster_id !== 'cl_-1').map((c) => c.cluster_id);
    const nearest = representatives > 0 ? await this.store.executions.nearestMembers(e.runId, measured, representatives) : null;
    return e.centroids.map(({ coordinates, ...c }) => ({
      ...c,
      ...(dimensions === 2 ? { x: coordinates?.x ?? null, y: coordinates?.y ?? null } : { x: coordinates?.x3 ?? null, y: coordinates?.y3 ?? null, z: coordinates?.z3 ?? null }),
      ...(nearest ? { representatives: (nearest.get(c.cluster_id) ?? []).map((m) => ({ document_id: m.documentId, distance_to_centroid: m.distanceToCentroid })) } : {}),
    }));
  }

  /** Every member as CSV or Parquet, streamed page by page from the store. */
  exportMembers(e: ExecutionRecord, format: 'csv' | 'parquet', projectionMethod: '2d' | '3d' | undefined) {
    if (e.status !== 'completed') {
      throw new AppError('export_unavailable', `Execution ${e.runId} is ${e.status}; only completed executions have members to download. Poll GET /v1/clusters/${e.clusterId}/executions/${e.runId} until it completes`, { run_id: e.runId, status: e.status });
    }
    const dimensions: Dimensions = projectionMethod === '3d' ? 3 : 2;
    const pages = exportRowPages((after, limit) => this.store.executions.membersPage(e.runId, after, limit), e.centroids, dimensions);
    const columns = columnsOf(dimensions);
    return format === 'csv'
      ? { contentType: 'text/csv; charset=utf-8', filename: `${e.runId}.csv`, chunks: csvChunks(pages, columns) }
      : { contentType: 'application/vnd.apache.parquet', filename: `${e.runId}.parquet`, chunks: parquetChunks(pages, columns) };
  }

  // Tasks are the reference's generic view of asynchronous work; here every task is an execution.
  async task(taskId: string) {
    const e = await this.store.executions.getByTaskId(taskId);
    if (!e) throw notFound('task', taskId);
    return e;
  }

  async listTasks(namespaceIds: string[] | null, body: ListExecutionsBody & { status?: string | null }, query: PageQuery, path: string) {
    const parsed = parseExecutionQuery(body);
    const window = resolvePage(query);
    const { rows, total } = await this.store.executions.listTasks(namespaceIds, { ...parsed, window });
    return { results: rows.map(taskView), pagination: paginationView(total, window, path), total_count: total };
  }
}

export { encodeCursor };
