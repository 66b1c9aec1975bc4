import { AppError, invalid, notFound } from '../domain/errors.ts';
import { EXECUTION_FILTER_FIELDS, EXECUTION_SORT_FIELDS } from '../domain/execution-fields.ts';
import { CANCELED_MESSAGE, EXECUTION_STATUSES, isTerminal } from '../domain/execution-status.ts';
import { parseFilters } from '../domain/filters.ts';
import { newId } from '../domain/ids.ts';
import type { ClusterRecord, ExecutionRecord, NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import type { ExecutionNotifier } from './execution-notifier.ts';
import { encodeCursor, paginationView, resolvePage, searchTerms, type PageQuery } from './pagination.ts';
import { executionView, taskView } from './views.ts';

type Clock = () => number;

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

  async artifacts(cluster: ClusterRecord, runId: string, query: { include_centroids?: boolean; include_members?: boolean; limit?: number; cursor?: string }) {
    const e = await this.require(cluster, runId);
    const limit = query.limit ?? 1000;
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
      members = page.map((m) => ({ document_id: m.documentId, cluster_id: m.clusterId, distance_to_centroid: m.distanceToCentroid }));
      if (rows.length > limit) nextCursor = Buffer.from(`m:${page[page.length - 1]!.memberIndex}`).toString('base64url');
    }
    return {
      cluster_id: e.clusterId,
      run_id: e.runId,
      status: e.status,
      centroids: query.include_centroids === false ? null : e.centroids,
      members,
      next_cursor: nextCursor,
      total_members: await this.store.executions.memberCount(e.runId),
    };
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
