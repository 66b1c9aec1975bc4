/**
 * The reference's cluster analytics: an execution timeline and a failure breakdown over the last
 * `hours`, computed from the executions table.
 */
import type { FilterNode } from '../domain/filters.ts';
import type { ClusterRecord, ExecutionRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';

type Clock = () => number;

const iso = (ms: number) => new Date(ms).toISOString();

function since(from: number, status?: string): FilterNode {
  const window: FilterNode = { kind: 'condition', field: 'created_at', fieldKind: 'timestamp', operator: 'gte', value: from, caseSensitive: true };
  if (!status) return window;
  return { kind: 'and', children: [window, { kind: 'condition', field: 'status', fieldKind: 'string', operator: 'eq', value: status, caseSensitive: true }] };
}

function algorithmOf(e: ExecutionRecord): string {
  const cfg = e.config as { vector_config?: { clustering_method?: string } | null; cluster_type?: string };
  return cfg.vector_config?.clustering_method ?? (cfg.cluster_type === 'attribute' ? 'attribute_based' : 'unknown');
}

/** Seconds from start (or creation, while it waits) to completion (or now, while it runs). */
function durationSeconds(e: ExecutionRecord, now: number): number {
  if (e.status === 'pending') return 0;
  const start = e.startedAt ?? e.createdAt;
  return Math.max(0, ((e.completedAt ?? now) - start) / 1000);
}

/**
 * A stable, coarse kind for a failure message, so dashboards can group failures. The messages come
 * from the execution runner, the worker and the queue's reaper.
 */
export function failureTypeOf(e: Pick<ExecutionRecord, 'canceled' | 'errorMessage'>): string {
  const m = (e.errorMessage ?? '').toLowerCase();
  if (e.canceled) return 'canceled';
  if (m.includes('abandoned') || m.includes('stopped responding')) return 'worker_lost';
  if (m.includes('no longer exists') || m.includes('not found')) return 'missing_input';
  if (m.includes('insufficient documents')) return 'insufficient_data';
  if (m.includes('dimensions')) return 'dimension_mismatch';
  if (m.startsWith('clustering failed')) return 'algorithm_error';
  return 'execution_error';
}

export class AnalyticsService {
  constructor(private readonly store: Store, private readonly now: Clock = Date.now) {}

  private async inWindow(cluster: ClusterRecord, from: number, limit: number, status?: string) {
    return this.store.executions.list(cluster.clusterId, {
      filter: since(from, status),
      search: [],
      sort: { field: 'created_at', direction: 'desc' },
      window: { limit, offset: 0 },
    });
  }

  async executionHistory(cluster: ClusterRecord, query: { hours?: number; limit?: number }) {
    const now = this.now();
    const hours = query.hours ?? 168;
    const from = now - hours * 3_600_000;
    const { rows, total } = await this.inWindow(cluster, from, query.limit ?? 100);
    const byStatus: Record<string, number> = {};
    for (const status of ['pending', 'processing', 'completed', 'failed']) {
      byStatus[status] = (await this.inWindow(cluster, from, 1, status)).total;
    }
    const finished = rows.filter((e) => e.status === 'completed');
    const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
    const settled = byStatus.completed! + byStatus.failed!;
    return {
      cluster_id: cluster.clusterId,
      time_range: { start: iso(from), end: iso(now) },
      results: rows.map((e) => ({
        execution_id: e.runId,
        started_at: iso(e.startedAt ?? e.createdAt),
        duration_seconds: durationSeconds(e, now),
        num_documents: e.numPoints,
        num_clusters: e.numClusters,
        status: e.status,
        algorithm: algorithmOf(e),
      })),
      summary: {
        total_executions: total,
        returned: rows.length,
        executions_by_status: byStatus,
        success_rate: settled ? byStatus.completed! / settled : null,
        // Means over the completed executions among those returned.
        avg_duration_seconds: mean(finished.map((e) => durationSeconds(e, now))),
        avg_num_documents: mean(finished.map((e) => e.numPoints)),
        avg_num_clusters: mean(finished.map((e) => e.numClusters)),
      },
    };
  }

  async failures(cluster: ClusterRecord, query: { hours?: number }) {
    const now = this.now();
    const from = now - (query.hours ?? 168) * 3_600_000;
    const { rows, total } = await this.inWindow(cluster, from, 1000, 'failed');
    return {
      cluster_id: cluster.clusterId,
      time_range: { start: iso(from), end: iso(now) },
      failures: rows.map((e) => ({
        timestamp: iso(e.completedAt ?? e.createdAt),
        execution_id: e.runId,
        error_message: e.errorMessage ?? 'Execution failed',
        error_type: failureTypeOf(e),
      })),
      total_failures: total,
    };
  }
}
