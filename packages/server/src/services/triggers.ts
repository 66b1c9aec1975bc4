/**
 * Cluster triggers: CRUD, pause/resume and history over the trigger store, and the firing hook the
 * scheduler calls (which starts executions through ExecutionService, like the execute route).
 *
 * A trigger always points at a cluster. Given `execution_config` instead of `cluster_id`, a cluster
 * is created from it (named after the trigger) so that its executions are readable through every
 * execution endpoint.
 */
import { randomBytes } from 'node:crypto';
import { VECTOR_METHODS } from '../domain/cluster-config.ts';
import { RequestValidationError, invalid, notFound, type ValidationIssue } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { ClusterRecord, NamespaceRecord } from '../domain/records.ts';
import { initialNextFireAt, normalizeScheduleConfig, type EventSchedule, type TriggerFirer } from '../queue/trigger-scheduler.ts';
import type { Store, TriggerListQuery, TriggerRecord, TriggerStatus, TriggerType } from '../storage/store.ts';
import type { ClusterService } from './clusters.ts';
import type { ExecutionService } from './executions.ts';

type Clock = () => number;
type Body = Record<string, any>;

/** Validates a method's params (the HTTP layer's validator, passed in so services do not import http). */
export type ParamsValidator = (method: string, params: Record<string, unknown>, loc: (string | number)[]) => Record<string, unknown>;

export const TRIGGER_SORT_FIELDS = ['created_at', 'updated_at', 'next_scheduled_at', 'last_triggered_at', 'execution_count', 'trigger_type', 'status'] as const;

/** The reference's algorithm names; 'hierarchical' is its name for agglomerative clustering. */
const ALGORITHM_ALIASES: Record<string, string> = { hierarchical: 'agglomerative', gmm: 'gaussian_mixture', meanshift: 'mean_shift' };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function triggerView(t: TriggerRecord) {
  return {
    trigger_id: t.triggerId,
    cluster_id: t.clusterId,
    namespace_id: t.namespaceId,
    internal_id: t.namespaceId,
    execution_config: t.executionConfig,
    trigger_type: t.triggerType,
    schedule_config: t.scheduleConfig,
    status: t.status,
    status_reason: t.statusReason,
    last_triggered_at: iso(t.lastTriggeredAt),
    last_execution_job_id: t.lastExecutionJobId,
    // Event triggers have no schedule: they are checked on every scheduler tick.
    next_scheduled_at: t.status === 'active' && t.triggerType !== 'event' ? iso(t.nextFireAt) : null,
    execution_count: t.executionCount,
    consecutive_failures: t.consecutiveFailures,
    last_execution_status: t.lastExecutionStatus,
    last_execution_error: t.lastExecutionError,
    event_counter: t.eventCounter,
    last_cooldown_at: iso(t.lastCooldownAt),
    created_at: iso(t.createdAt)!,
    updated_at: iso(t.updatedAt)!,
    created_by: t.createdBy,
    description: t.description,
  };
}

/** Moves a cluster-create validation issue under execution_config, where the caller wrote it. */
function relocate(issue: ValidationIssue): ValidationIssue {
  const [, field, ...rest] = issue.loc;
  if (field === 'collection_ids') return { ...issue, loc: ['body', 'execution_config', 'collection_ids', ...rest] };
  if (field === 'vector_config') {
    const tail = rest[0] === 'algorithm_params' ? rest.slice(1) : rest;
    return { ...issue, loc: ['body', 'execution_config', 'config', ...tail] };
  }
  return { ...issue, loc: ['body', 'execution_config', ...issue.loc.slice(1)] };
}

function executionConfigOf(cluster: ClusterRecord): { collection_ids: string[]; config: Record<string, unknown> } {
  const cfg = cluster.config as Body;
  const vc = cfg.vector_config as Body | null;
  const config: Record<string, unknown> = vc
    ? { algorithm: vc.clustering_method, feature_uris: vc.feature_uris, algorithm_params: vc.algorithm_params ?? {} }
    : { algorithm: 'attribute_based', attribute_config: cfg.attribute_config ?? null };
  return { collection_ids: cfg.collection_ids ?? [], config };
}

export class TriggerService implements TriggerFirer {
  constructor(
    private readonly store: Store,
    private readonly clusters: ClusterService,
    private readonly executions: ExecutionService,
    private readonly now: Clock = Date.now,
  ) {}

  async require(ns: NamespaceRecord, triggerId: string): Promise<TriggerRecord> {
    const t = await this.store.triggers.get(ns.namespaceId, triggerId);
    if (!t) throw notFound('trigger', triggerId);
    return t;
  }

  async create(ns: NamespaceRecord, body: Body, validateParams: ParamsValidator) {
    const type = body.trigger_type as TriggerType;
    const hasCluster = typeof body.cluster_id === 'string' && body.cluster_id !== '';
    const hasConfig = body.execution_config !== undefined && body.execution_config !== null;
    if (hasCluster === hasConfig) {
      throw invalid(['body', hasCluster ? 'execution_config' : 'cluster_id'], hasCluster
        ? 'Give cluster_id or execution_config, not both: a trigger on an existing cluster runs with that cluster\'s configuration'
        : 'Give cluster_id (an existing cluster) or execution_config ({collection_ids, config: {algorithm, feature_uris, …}})');
    }
    const schedule = normalizeScheduleConfig(type, body.schedule_config ?? {}, ['body', 'schedule_config']);
    if (type === 'event') await this.resolveWatched(ns, schedule as EventSchedule);
    const triggerId = newId('trigger');
    // Everything else is checked first, so a refused request never leaves a cluster behind.
    const cluster = hasCluster
      ? await this.clusters.require(ns, body.cluster_id)
      : await this.clusterFromExecutionConfig(ns, body.execution_config, triggerId, validateParams);
    const now = this.now();
    const status: TriggerStatus = body.status ?? 'active';
    const record: Omit<TriggerRecord, 'updatedAt'> = {
      triggerId,
      namespaceId: ns.namespaceId,
      clusterId: cluster.clusterId,
      triggerType: type,
      scheduleConfig: schedule as unknown as Record<string, unknown>,
      executionConfig: executionConfigOf(cluster),
      status,
      statusReason: null,
      description: body.description ?? null,
      createdBy: null,
      nextFireAt: initialNextFireAt(type, schedule, now),
      lastTriggeredAt: null,
      lastExecutionJobId: null,
      lastExecutionStatus: null,
      lastExecutionError: null,
      executionCount: 0,
      consecutiveFailures: 0,
      eventCounter: 0,
      baselineAt: now,
      baselineCount: null,
      lastCooldownAt: null,
      createdAt: now,
    };
    const draft = { ...record, updatedAt: now } as TriggerRecord;
    if (type === 'conditional') record.baselineCount = await this.store.triggers.countDocuments(this.watchedCollections(draft));
    return triggerView(await this.store.triggers.create(record));
  }

  /** An event trigger's collection_id, given as id or name, stored as the id. */
  private async resolveWatched(ns: NamespaceRecord, e: EventSchedule): Promise<void> {
    if (e.collection_id === null) return;
    const collection = await this.store.collections.findByIdOrName(ns.namespaceId, e.collection_id);
    if (!collection) {
      throw invalid(['body', 'schedule_config', 'collection_id'], `Collection '${e.collection_id}' not found in this namespace; give the id or name of a collection to watch, or null to watch the cluster's input collections`);
    }
    e.collection_id = collection.collectionId;
  }

  private async clusterFromExecutionConfig(ns: NamespaceRecord, ec: Body, triggerId: string, validateParams: ParamsValidator): Promise<ClusterRecord> {
    // Parameters may sit next to 'algorithm' (the reference's examples) or inside algorithm_params
    // (needed where a parameter is itself called 'algorithm', as k-means' lloyd/elkan choice is).
    const { algorithm, feature_uris, feature_uri, algorithm_params, ...flat } = (ec.config ?? {}) as Body;
    const params = { ...flat, ...(algorithm_params ?? {}) };
    const loc = ['body', 'execution_config', 'config'];
    if (typeof algorithm !== 'string') throw invalid([...loc, 'algorithm'], `Field required: one of ${VECTOR_METHODS.join(', ')} (or 'hierarchical')`, 'missing');
    const method = ALGORITHM_ALIASES[algorithm] ?? algorithm;
    if (!(VECTOR_METHODS as readonly string[]).includes(method)) {
      throw invalid([...loc, 'algorithm'], `Unknown algorithm '${algorithm}': use one of ${VECTOR_METHODS.join(', ')} (or 'hierarchical')`, 'enum');
    }
    const uris = feature_uris ?? (feature_uri ? [feature_uri] : undefined);
    if (!Array.isArray(uris) || uris.length === 0) {
      throw invalid([...loc, 'feature_uris'], 'Field required: name the vector(s) to cluster, e.g. "feature_uris": ["embedding"]', 'missing');
    }
    const checked = validateParams(method, params, loc);
    const body = {
      collection_ids: ec.collection_ids,
      cluster_name: `trigger_${triggerId.slice(5)}_${randomBytes(2).toString('hex')}`,
      description: `Created for trigger ${triggerId}`,
      vector_config: { feature_uris: uris, clustering_method: method, algorithm_params: checked },
    };
    try {
      const view = await this.clusters.create(ns, body, checked);
      return this.clusters.require(ns, view.cluster_id);
    } catch (error) {
      if (error instanceof RequestValidationError) throw new RequestValidationError(error.issues.map(relocate));
      throw error;
    }
  }

  async get(ns: NamespaceRecord, triggerId: string) {
    return triggerView(await this.require(ns, triggerId));
  }

  async list(ns: NamespaceRecord, body: Body) {
    const sortBy = body.sort_by ?? 'created_at';
    if (!(TRIGGER_SORT_FIELDS as readonly string[]).includes(sortBy)) {
      throw invalid(['body', 'sort_by'], `Cannot sort on '${sortBy}'; sortable fields: ${TRIGGER_SORT_FIELDS.join(', ')}`);
    }
    const direction = String(body.direction ?? 'desc').toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') throw invalid(['body', 'direction'], `Input should be 'asc' or 'desc' (got '${body.direction}')`, 'enum');
    let clusterId: string | null = null;
    if (body.cluster_id) {
      // A name works as well as an id; an unknown cluster simply has no triggers.
      clusterId = (await this.store.clusters.findByIdOrName(ns.namespaceId, body.cluster_id))?.clusterId ?? body.cluster_id;
    }
    const offset = body.offset ?? 0;
    const limit = body.limit ?? 50;
    const query: TriggerListQuery = {
      clusterId,
      triggerType: body.trigger_type ?? null,
      status: body.status ?? null,
      sortBy: sortBy as TriggerListQuery['sortBy'],
      direction,
      window: { offset, limit },
    };
    const { rows, total } = await this.store.triggers.list(ns.namespaceId, query);
    return { results: rows.map(triggerView), total, offset, limit };
  }

  async update(ns: NamespaceRecord, triggerId: string, body: Body) {
    const t = await this.require(ns, triggerId);
    const now = this.now();
    const patch: Parameters<Store['triggers']['update']>[1] = {};
    let schedule = t.scheduleConfig;
    if (body.schedule_config !== undefined && body.schedule_config !== null) {
      const normalized = normalizeScheduleConfig(t.triggerType, body.schedule_config, ['body', 'schedule_config']);
      if (t.triggerType === 'event') await this.resolveWatched(ns, normalized as EventSchedule);
      schedule = normalized as unknown as Record<string, unknown>;
      patch.scheduleConfig = schedule;
    }
    if (body.description !== undefined) patch.description = body.description;
    const status: TriggerStatus = body.status ?? t.status;
    if (status !== t.status) {
      patch.status = status;
      patch.statusReason = status === 'active' ? null : `Set to '${status}' by request`;
      if (status === 'active') patch.consecutiveFailures = 0;
    }
    // A new schedule or a return to active recomputes the next time from now, as resume does.
    if (status === 'active' && (patch.scheduleConfig || patch.status)) {
      patch.nextFireAt = initialNextFireAt(t.triggerType, schedule as never, now, { resuming: !patch.scheduleConfig });
    }
    return triggerView((await this.store.triggers.update(t.triggerId, patch, now))!);
  }

  async delete(ns: NamespaceRecord, triggerId: string): Promise<void> {
    const t = await this.require(ns, triggerId);
    await this.store.triggers.softDelete(t.triggerId, this.now());
  }

  async pause(ns: NamespaceRecord, triggerId: string) {
    const t = await this.require(ns, triggerId);
    if (t.status === 'paused') return triggerView(t);
    return triggerView((await this.store.triggers.update(t.triggerId, { status: 'paused', statusReason: 'Paused by request' }, this.now()))!);
  }

  /** Back to active with the next time computed from now; the failure streak starts over. */
  async resume(ns: NamespaceRecord, triggerId: string) {
    const t = await this.require(ns, triggerId);
    if (t.status === 'active') return triggerView(t);
    const now = this.now();
    const next = initialNextFireAt(t.triggerType, t.scheduleConfig as never, now, { resuming: true });
    return triggerView((await this.store.triggers.update(t.triggerId, { status: 'active', statusReason: null, consecutiveFailures: 0, nextFireAt: next }, now))!);
  }

  async history(ns: NamespaceRecord, triggerId: string, body: Body) {
    const t = await this.require(ns, triggerId);
    const offset = body.offset ?? 0;
    const limit = body.limit ?? 50;
    const { rows, total } = await this.store.triggers.history(t.triggerId, { status: body.status_filter ?? null, window: { offset, limit } });
    return {
      trigger_id: t.triggerId,
      executions: rows.map((f) => ({
        job_id: f.taskId ?? f.fireId,
        run_id: f.runId,
        triggered_at: iso(f.triggeredAt)!,
        status: f.status,
        execution_time_ms: f.executionTimeMs,
        error: f.error,
        num_clusters: f.numClusters,
        num_documents: f.numDocuments,
      })),
      total,
      offset,
      limit,
    };
  }

  // TriggerFirer -------------------------------------------------------------------------------

  async fire(trigger: TriggerRecord): Promise<{ runId: string; taskId: string }> {
    const cluster = await this.store.clusters.findByIdOrName(trigger.namespaceId, trigger.clusterId);
    if (!cluster) throw notFound('cluster', trigger.clusterId);
    const task = await this.executions.execute(cluster);
    return { runId: task.additional_data.run_id, taskId: task.task_id };
  }

  watchedCollections(trigger: TriggerRecord): string[] {
    const watched = (trigger.scheduleConfig as { collection_id?: string | null }).collection_id;
    return watched ? [watched] : trigger.executionConfig.collection_ids;
  }
}

