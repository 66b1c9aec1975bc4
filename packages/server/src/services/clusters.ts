import { randomBytes } from 'node:crypto';
import { notFound } from '../domain/errors.ts';
import { matchesFilter, parseFilters, type FieldKind } from '../domain/filters.ts';
import { newId } from '../domain/ids.ts';
import { DOCUMENT_FILTER_FIELDS_HELP, documentFieldKind } from '../domain/document-fields.ts';
import type { ClusterRecord, NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import { normalizeClusterConfig } from './cluster-config.ts';
import type { ExecutionNotifier } from '../queue/execution-notifier.ts';
import { paginationView, resolvePage, searchTerms, type PageQuery } from './pagination.ts';
import { clusterView } from './views.ts';

const CLUSTER_FIELDS: Record<string, FieldKind> = {
  cluster_id: 'string', cluster_name: 'string', description: 'string', status: 'string', algorithm: 'string', cluster_type: 'string',
  created_at: 'timestamp', updated_at: 'timestamp', last_executed_at: 'timestamp', num_clusters: 'number', num_documents_clustered: 'number',
};

type ClusterView = ReturnType<typeof clusterView>;

function readField(view: ClusterView, field: string): unknown {
  const value = (view as Record<string, unknown>)[field];
  if (field.endsWith('_at') && typeof value === 'string') return Date.parse(value);
  if (field.startsWith('metadata.')) return (view.metadata as Record<string, unknown>)[field.slice(9)];
  return value;
}

export class ClusterService {
  constructor(private readonly store: Store, private readonly notifier: ExecutionNotifier) {}

  async require(ns: NamespaceRecord, idOrName: string): Promise<ClusterRecord> {
    const cluster = await this.store.clusters.findByIdOrName(ns.namespaceId, idOrName);
    if (!cluster) throw notFound('cluster', idOrName);
    return cluster;
  }

  async view(cluster: ClusterRecord): Promise<ClusterView> {
    const latest = await this.store.executions.latest(cluster.clusterId);
    const lastCompleted =
      latest?.status === 'completed'
        ? latest
        : ((
            await this.store.executions.list(cluster.clusterId, {
              filter: { kind: 'condition', field: 'status', fieldKind: 'string', operator: 'eq', value: 'completed', caseSensitive: true },
              search: [],
              sort: { field: 'created_at', direction: 'desc' },
              window: { limit: 1, offset: 0 },
            })
          ).rows[0] ?? null);
    return clusterView(cluster, latest, lastCompleted);
  }

  async create(ns: NamespaceRecord, body: Record<string, any>, algorithmParams: Record<string, unknown> | null) {
    const config = normalizeClusterConfig(body, algorithmParams);
    const resolved: string[] = [];
    for (const idOrName of config.collection_ids) {
      const collection = await this.store.collections.findByIdOrName(ns.namespaceId, idOrName);
      if (!collection) throw notFound('collection', idOrName);
      resolved.push(collection.collectionId);
    }
    config.collection_ids = resolved;
    if (config.filters) parseFilters(config.filters, ['body', 'filters'], documentFieldKind, DOCUMENT_FILTER_FIELDS_HELP);
    const cluster = await this.store.clusters.create({
      clusterId: newId('cluster'),
      namespaceId: ns.namespaceId,
      clusterName: body.cluster_name ?? `cluster_${randomBytes(4).toString('hex')}`,
      description: body.description ?? null,
      config: config as unknown as Record<string, unknown>,
      metadata: body.metadata ?? {},
    });
    return this.view(cluster);
  }

  async get(ns: NamespaceRecord, idOrName: string) {
    return this.view(await this.require(ns, idOrName));
  }

  async patch(ns: NamespaceRecord, idOrName: string, body: { cluster_name?: string | null; description?: string | null; metadata?: Record<string, unknown> | null }) {
    const cluster = await this.require(ns, idOrName);
    const updated = await this.store.clusters.update(cluster.clusterId, {
      ...(body.cluster_name ? { clusterName: body.cluster_name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
    });
    return this.view(updated!);
  }

  async delete(ns: NamespaceRecord, idOrName: string) {
    const cluster = await this.require(ns, idOrName);
    const running = await this.store.executions.inFlightFor(cluster.clusterId);
    if (running) this.notifier.cancel(running.runId);
    await this.store.clusters.delete(cluster.clusterId);
    return { success: true, message: `Cluster ${cluster.clusterId} and its executions deleted` };
  }

  /** Clusters per namespace are few, so filtering, sorting and search run over their views in memory. */
  async list(ns: NamespaceRecord, body: { filters?: unknown; sort?: { field: string; direction?: 'asc' | 'desc' } | null; search?: string | null }, query: PageQuery, path: string) {
    const filter = parseFilters(body.filters, ['body', 'filters'], (f) => CLUSTER_FIELDS[f] ?? (f.startsWith('metadata.') ? 'any' : undefined), Object.keys(CLUSTER_FIELDS).join(', ') + ', metadata.<field>');
    const terms = searchTerms(body.search);
    const views = await Promise.all((await this.store.clusters.listAll(ns.namespaceId)).map((c) => this.view(c)));
    const matched = views.filter((v) => {
      if (filter && !matchesFilter(filter, (f) => readField(v, f))) return false;
      const text = [v.cluster_id, v.cluster_name, v.description ?? '', v.algorithm ?? '', JSON.stringify(v.metadata)].join(' ').toLowerCase();
      return terms.every((t) => text.includes(t));
    });
    const sortField = body.sort?.field ?? 'created_at';
    const direction = body.sort ? (body.sort.direction === 'desc' ? -1 : 1) : -1;
    matched.sort((a, b) => {
      const x = readField(a, sortField) as number | string | null;
      const y = readField(b, sortField) as number | string | null;
      if (x === y) return a.cluster_id < b.cluster_id ? -1 : 1;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * direction;
    });
    const window = resolvePage(query);
    const results = matched.slice(window.offset, window.offset + window.limit);
    const byStatus: Record<string, number> = {};
    for (const v of matched) byStatus[v.status] = (byStatus[v.status] ?? 0) + 1;
    const totalDocs = matched.reduce((s, v) => s + (v.num_documents_clustered ?? 0), 0);
    return {
      results,
      pagination: paginationView(matched.length, window, path),
      total_count: matched.length,
      stats: {
        total_clusters: matched.length,
        total_documents: totalDocs,
        avg_documents_per_cluster: matched.length ? totalDocs / matched.length : 0,
        clusters_by_status: byStatus,
      },
    };
  }
}
