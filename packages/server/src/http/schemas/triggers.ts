/** Cluster trigger shapes, mirroring the reference's shared.clusters.triggers models. */
import { Type, type Static } from 'typebox';
import { DateTime, LooseObject, Nullable, StringEnum } from './common.ts';

export const TRIGGER_TYPES = ['cron', 'interval', 'event', 'conditional'] as const;
export const TriggerType = StringEnum(TRIGGER_TYPES, {
  title: 'TriggerType',
  description: 'cron: on a cron schedule; interval: every N seconds; event: after N new documents; conditional: when a condition on the documents holds.',
});
export type TriggerType = Static<typeof TriggerType>;

export const TRIGGER_STATUSES = ['active', 'paused', 'disabled', 'failed'] as const;
export const TriggerStatus = StringEnum(TRIGGER_STATUSES, {
  title: 'TriggerStatus',
  description: "Only 'active' triggers fire. 'failed' means paused automatically after repeated failures (see status_reason).",
});
export type TriggerStatus = Static<typeof TriggerStatus>;

export const TriggerExecutionConfig = Type.Object(
  {
    collection_ids: Type.Array(Type.String(), { minItems: 1, description: 'Collections (ids or names) to cluster when the trigger fires.' }),
    config: LooseObject({
      description: "Clustering configuration: 'algorithm' (kmeans, dbscan, hdbscan, agglomerative or 'hierarchical', spectral, gaussian_mixture, mean_shift, optics), 'feature_uris' (the vectors to cluster), and the algorithm's parameters.",
    }),
  },
  { title: 'TriggerExecutionConfig', description: 'What to cluster, and how, when a trigger has no cluster_id.' },
);
export type TriggerExecutionConfig = Static<typeof TriggerExecutionConfig>;

const ScheduleConfigHelp =
  "Per trigger_type. cron: {cron_expression, timezone='UTC'}; interval: {interval_seconds, start_immediately=false}; event: {event_type='documents_added', event_threshold, collection_id=null}; conditional: {condition_type='document_count', metric='growth_ratio'|'growth_absolute'|'total', threshold, check_interval_seconds=3600}. Every type also takes cooldown_seconds=0 and max_consecutive_failures=5.";

export const CreateTriggerRequest = Type.Object(
  {
    cluster_id: Type.Optional(Nullable(Type.String(), { description: 'An existing cluster (id or name) to execute. Give this or execution_config.' })),
    execution_config: Type.Optional(Nullable(TriggerExecutionConfig, { description: 'Clustering to run when no cluster_id is given; a cluster is created from it.' })),
    trigger_type: TriggerType,
    schedule_config: LooseObject({ description: ScheduleConfigHelp }),
    description: Type.Optional(Nullable(Type.String(), { description: 'Free text shown in listings.' })),
    status: Type.Optional(StringEnum(TRIGGER_STATUSES, { default: 'active', description: "Initial status; 'paused' creates a trigger that does not fire until resumed." })),
  },
  { title: 'CreateTriggerRequest', additionalProperties: false },
);
export type CreateTriggerRequest = Static<typeof CreateTriggerRequest>;

export const UpdateTriggerRequest = Type.Object(
  {
    schedule_config: Type.Optional(Nullable(LooseObject(), { description: 'Replaces the schedule (validated for the trigger type); the next time is computed from now.' })),
    description: Type.Optional(Nullable(Type.String())),
    status: Type.Optional(Nullable(TriggerStatus)),
  },
  { title: 'UpdateTriggerRequest', additionalProperties: false, description: 'trigger_type, cluster_id and execution_config cannot change: delete and recreate instead.' },
);
export type UpdateTriggerRequest = Static<typeof UpdateTriggerRequest>;

export const TriggerModel = Type.Object(
  {
    trigger_id: Type.String({ description: 'Trigger id (trig_…).' }),
    cluster_id: Nullable(Type.String(), { description: 'The cluster this trigger executes.' }),
    namespace_id: Type.String(),
    internal_id: Type.String({ description: 'Owner id; the namespace id in a self-hosted deployment.' }),
    execution_config: TriggerExecutionConfig,
    trigger_type: TriggerType,
    schedule_config: LooseObject({ description: 'The schedule with every default filled in.' }),
    status: StringEnum(TRIGGER_STATUSES, { default: 'active' }),
    status_reason: Nullable(Type.String(), { description: 'Why the trigger is not active (e.g. paused after repeated failures); null when active.' }),
    last_triggered_at: Nullable(DateTime()),
    last_execution_job_id: Nullable(Type.String(), { description: 'Task id of the last execution started.' }),
    next_scheduled_at: Nullable(DateTime(), { description: 'Next time a cron or interval trigger fires, or a conditional trigger checks its condition; null for event triggers and inactive ones.' }),
    execution_count: Type.Integer({ default: 0, description: 'Executions this trigger started.' }),
    consecutive_failures: Type.Integer({ default: 0 }),
    last_execution_status: Nullable(Type.String()),
    last_execution_error: Nullable(Type.String()),
    event_counter: Type.Integer({ default: 0, description: 'Event triggers: new documents counted since the last fire.' }),
    last_cooldown_at: Nullable(DateTime(), { description: 'Last time a fire was held back by cooldown_seconds.' }),
    created_at: DateTime(),
    updated_at: DateTime(),
    created_by: Nullable(Type.String()),
    description: Nullable(Type.String()),
  },
  { title: 'TriggerModel' },
);
export type TriggerModel = Static<typeof TriggerModel>;

export const ListTriggersRequest = Type.Object(
  {
    cluster_id: Type.Optional(Nullable(Type.String())),
    trigger_type: Type.Optional(Nullable(TriggerType)),
    status: Type.Optional(Nullable(TriggerStatus)),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    sort_by: Type.Optional(Type.String({ default: 'created_at', description: 'created_at, updated_at, next_scheduled_at, last_triggered_at, execution_count, trigger_type or status.' })),
    direction: Type.Optional(Type.String({ default: 'desc', description: 'asc or desc.' })),
  },
  { title: 'ListTriggersRequest', additionalProperties: false },
);
export type ListTriggersRequest = Static<typeof ListTriggersRequest>;

export const ListTriggersResponse = Type.Object(
  {
    results: Type.Array(TriggerModel),
    total: Type.Integer(),
    offset: Type.Integer(),
    limit: Type.Integer(),
  },
  { title: 'ListTriggersResponse' },
);
export type ListTriggersResponse = Static<typeof ListTriggersResponse>;

export const TriggerHistoryRequest = Type.Object(
  {
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    status_filter: Type.Optional(Nullable(Type.String(), { description: 'pending, processing, completed, failed or skipped.' })),
  },
  { title: 'TriggerHistoryRequest', additionalProperties: false },
);
export type TriggerHistoryRequest = Static<typeof TriggerHistoryRequest>;

export const TriggerExecutionHistoryItem = Type.Object(
  {
    job_id: Type.String({ description: 'Task id of the execution; the fire id when none was started (skipped).' }),
    run_id: Nullable(Type.String(), { description: 'The execution run id, null when the fire was skipped.' }),
    triggered_at: DateTime(),
    status: Type.String({ description: "pending, processing, completed, failed, or skipped (the cluster was busy with another execution)." }),
    execution_time_ms: Type.Optional(Nullable(Type.Integer())),
    error: Type.Optional(Nullable(Type.String())),
    num_clusters: Type.Optional(Nullable(Type.Integer())),
    num_documents: Type.Optional(Nullable(Type.Integer())),
  },
  { title: 'TriggerExecutionHistoryItem' },
);
export type TriggerExecutionHistoryItem = Static<typeof TriggerExecutionHistoryItem>;

export const TriggerHistoryResponse = Type.Object(
  {
    trigger_id: Type.String(),
    executions: Type.Array(TriggerExecutionHistoryItem),
    total: Type.Integer(),
    offset: Type.Integer(),
    limit: Type.Integer(),
  },
  { title: 'TriggerHistoryResponse' },
);
export type TriggerHistoryResponse = Static<typeof TriggerHistoryResponse>;

export const TriggerIdParams = Type.Object({ trigger_id: Type.String({ description: 'Trigger id' }) }, { title: 'TriggerIdParams' });
