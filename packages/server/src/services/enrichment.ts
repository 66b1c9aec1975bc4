/**
 * Enrichment: writes an execution's assignments (cluster id, label, distance, …) onto the
 * metadata of the clustered documents, so document lists can filter by cluster.
 *
 * - Batched: members are read `batchSize` at a time (store.executions.membersPage) and each
 *   batch is merged in one transaction; no batch ever holds the whole execution.
 * - Idempotent: values are merged, so applying the same execution twice leaves the documents as
 *   they were after the first time (unchanged documents keep their updated_at); a later
 *   execution overwrites the mapped keys. Documents deleted since the execution are skipped and
 *   counted. Documents the execution does not cover are left alone.
 * - Automatic: when a cluster has `enrich_source_collection`, the worker calls afterCompletion
 *   once the execution is stored as completed. A failure there is logged and never turns the
 *   completed execution into a failed one; POST /v1/clusters/enrich re-applies it.
 */
import { RequestValidationError, invalid, notFound, type ValidationIssue } from '../domain/errors.ts';
import type { ClusterConfig } from '../domain/cluster-config.ts';
import type { FilterNode } from '../domain/filters.ts';
import type { CentroidSummary, ExecutionRecord, MemberRow, NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import { checkFieldMappings, targetPath, type FieldMapping } from './enrichment/field-mappings.ts';

export const DEFAULT_ENRICH_BATCH = 1000;
/** Larger requested batches are clamped: one transaction should stay short. */
export const MAX_ENRICH_BATCH = 10_000;

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export interface EnrichmentTotals {
  /** Member rows read. */
  processed: number;
  /** Documents that now carry the execution's values. */
  enriched: number;
  /** Members whose batch could not be written (database error). */
  failed: number;
  /** Members whose document no longer exists in the collection. */
  skipped: number;
  batches: number;
}

export interface ApplyEnrichmentBody {
  clustering_ids?: string[] | null;
  clustering_id?: string | null;
  source_collection_id: string;
  target_collection_id?: string | null;
  batch_size?: number;
  parallelism?: number;
}

const eq = (field: string, value: string): FilterNode => ({ kind: 'condition', field, fieldKind: 'string', operator: 'eq', value, caseSensitive: true });
const newest = { field: 'created_at', direction: 'desc' } as const;

function emptyTotals(): EnrichmentTotals {
  return { processed: 0, enriched: 0, failed: 0, skipped: 0, batches: 0 };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

const coordinate = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Turns one member row into the metadata fields its mappings ask for. */
class FieldBuilder {
  private readonly centroids: Map<string, CentroidSummary>;
  private readonly paths: Array<{ source: FieldMapping['source_field']; path: string[] }>;
  /** With z mapped, x, y and z all come from the 3-D projection (one consistent point), as artifacts' projection_method=3d. */
  private readonly threeD: boolean;

  constructor(private readonly execution: ExecutionRecord, mappings: FieldMapping[]) {
    this.centroids = new Map((execution.centroids ?? []).map((c) => [c.cluster_id, c]));
    this.paths = mappings.map((m) => ({ source: m.source_field, path: targetPath(m.target_field) }));
    this.threeD = mappings.some((m) => m.source_field === 'z');
  }

  /** A sub-cluster without a label of its own shows its nearest labelled ancestor's. */
  private labelOf(clusterId: string): string | null {
    for (let c = this.centroids.get(clusterId); c; c = c.parent_cluster_id ? this.centroids.get(c.parent_cluster_id) : undefined) {
      if (c.label) return c.label;
    }
    return null;
  }

  private valueOf(source: FieldMapping['source_field'], m: MemberRow): unknown {
    switch (source) {
      case 'cluster_id': return m.clusterId;
      case 'cluster_label': return this.labelOf(m.clusterId);
      case 'distance_to_centroid': return m.distanceToCentroid;
      case 'member_count': return this.centroids.get(m.clusterId)?.num_members ?? null;
      case 'keywords': return this.centroids.get(m.clusterId)?.keywords ?? null;
      case 'run_id': return this.execution.runId;
      case 'top_level_cluster_id': return m.clusterId.replace(/_sub_.*$/, '');
      // Map coordinates are written when the execution stored them for its members; otherwise the key is left out.
      case 'x': return coordinate(this.threeD ? m.x3 : m.x);
      case 'y': return coordinate(this.threeD ? m.y3 : m.y);
      case 'z': return coordinate(m.z3);
    }
  }

  fieldsOf(m: MemberRow): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const { source, path } of this.paths) {
      const value = this.valueOf(source, m);
      if (value !== undefined) setPath(out, path, value);
    }
    return out;
  }
}

export class EnrichmentService {
  constructor(private readonly store: Store) {}

  /**
   * Writes one completed execution onto the documents of `collectionIds` (a document is
   * looked up in each collection in turn). Reads at most `batchSize` members at a time.
   */
  async enrich(execution: ExecutionRecord, collectionIds: string[], mappings: FieldMapping[], batchSize = DEFAULT_ENRICH_BATCH, log?: Log): Promise<EnrichmentTotals> {
    const totals = emptyTotals();
    const builder = new FieldBuilder(execution, mappings);
    const size = Math.max(1, Math.min(MAX_ENRICH_BATCH, Math.floor(batchSize)));
    let after = -1;
    for (;;) {
      const page = await this.store.executions.membersPage(execution.runId, after, size);
      if (page.length === 0) break;
      after = page[page.length - 1]!.memberIndex;
      // 'independent' multi-feature runs store one row per document and feature; the first
      // feature's rows (indexes below num_points) are the ones written back.
      const rows = page.filter((m) => m.memberIndex < execution.numPoints);
      if (rows.length === 0) break;
      totals.batches++;
      totals.processed += rows.length;
      let pending = rows.map((m) => ({ documentId: m.documentId, fields: builder.fieldsOf(m) }));
      try {
        for (const collectionId of collectionIds) {
          if (pending.length === 0) break;
          const { matched, missing } = await this.store.documents.mergeMetadata(collectionId, pending);
          totals.enriched += matched;
          const left = new Set(missing);
          pending = pending.filter((u) => left.has(u.documentId));
        }
        totals.skipped += pending.length;
      } catch (error) {
        totals.failed += pending.length;
        log?.warn({ err: error, runId: execution.runId, batch: totals.batches }, 'enrichment batch failed; its documents keep their previous values');
      }
      if (page.length < size) break;
    }
    return totals;
  }

  /** The worker's hook after an execution is stored as completed: enriches when the cluster asks for it. */
  async afterCompletion(claimed: ExecutionRecord, log?: Log): Promise<EnrichmentTotals | null> {
    const config = claimed.config as unknown as ClusterConfig;
    if (!config.enrich_source_collection) return null;
    try {
      const execution = await this.store.executions.get(claimed.clusterId, claimed.runId);
      if (!execution || execution.status !== 'completed') return null;
      const mappings = checkFieldMappings(config.source_enrichment_config, [], []);
      const totals = await this.enrich(execution, config.collection_ids, mappings, DEFAULT_ENRICH_BATCH, log);
      log?.[totals.failed > 0 ? 'warn' : 'info']({ runId: execution.runId, enrichment: totals }, 'source documents enriched with cluster assignments');
      return totals;
    } catch (error) {
      log?.warn({ err: error, runId: claimed.runId }, 'enriching source documents failed; the execution stays completed; retry with POST /v1/clusters/enrich');
      return null;
    }
  }

  /** POST /v1/clusters/enrich: applies executions (by run id, or a cluster's latest completed run) to a collection. */
  async apply(ns: NamespaceRecord, body: ApplyEnrichmentBody) {
    const ids = body.clustering_ids ?? (body.clustering_id ? [body.clustering_id] : null);
    if (!ids || ids.length === 0) {
      throw invalid(['body', 'clustering_ids'], 'Field required: list the executions to apply, as run ids (run_…) or cluster ids/names (their latest completed execution)', 'missing');
    }
    const collection = await this.store.collections.findByIdOrName(ns.namespaceId, body.source_collection_id);
    if (!collection) throw notFound('collection', body.source_collection_id);
    const target = body.target_collection_id;
    if (target !== undefined && target !== null && target !== collection.collectionId && target !== collection.collectionName) {
      throw invalid(['body', 'target_collection_id'], 'Writing enriched copies into another collection is not supported; omit target_collection_id (or repeat source_collection_id) to enrich the source documents in place');
    }
    const issues: ValidationIssue[] = [];
    const executions: ExecutionRecord[] = [];
    for (const [i, id] of ids.entries()) {
      const found = await this.resolve(ns, id, ['body', body.clustering_ids ? 'clustering_ids' : 'clustering_id', ...(body.clustering_ids ? [i] : [])], issues);
      if (found) executions.push(found);
    }
    if (issues.length > 0) throw new RequestValidationError(issues);
    const totals = emptyTotals();
    for (const execution of executions) {
      const config = execution.config as unknown as ClusterConfig;
      const mappings = checkFieldMappings(config.source_enrichment_config, [], []);
      const t = await this.enrich(execution, [collection.collectionId], mappings, body.batch_size ?? DEFAULT_ENRICH_BATCH);
      for (const key of Object.keys(totals) as (keyof EnrichmentTotals)[]) totals[key] += t[key];
    }
    return { ...totals, run_ids: executions.map((e) => e.runId) };
  }

  private async resolve(ns: NamespaceRecord, id: string, loc: (string | number)[], issues: ValidationIssue[]): Promise<ExecutionRecord | null> {
    let execution: ExecutionRecord | null = null;
    if (id.startsWith('run_')) {
      execution = (await this.store.executions.listTasks([ns.namespaceId], { filter: eq('run_id', id), search: [], sort: newest, window: { limit: 1, offset: 0 } })).rows[0] ?? null;
    } else if (id.startsWith('task_')) {
      execution = await this.store.executions.getByTaskId(id);
      if (execution && execution.namespaceId !== ns.namespaceId) execution = null;
    } else {
      const cluster = await this.store.clusters.findByIdOrName(ns.namespaceId, id);
      if (cluster) {
        execution = (await this.store.executions.list(cluster.clusterId, { filter: eq('status', 'completed'), search: [], sort: newest, window: { limit: 1, offset: 0 } })).rows[0] ?? null;
        if (!execution) {
          issues.push({ loc, msg: `Cluster '${id}' has no completed execution yet; run POST /v1/clusters/${cluster.clusterId}/execute and wait for it to complete`, type: 'value_error' });
          return null;
        }
      }
    }
    if (!execution) {
      issues.push({ loc, msg: `No execution or cluster '${id}' in this namespace; pass a run_id (run_…), a task_id, or a cluster id or name for its latest completed execution`, type: 'value_error' });
      return null;
    }
    if (execution.status !== 'completed') {
      issues.push({ loc, msg: `Execution ${execution.runId} is ${execution.status}; only completed executions can be applied (wait for it, or pass another run)`, type: 'value_error' });
      return null;
    }
    return execution;
  }
}
