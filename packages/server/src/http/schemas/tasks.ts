/** Background task shapes. Centroid only runs cluster builds, but the enums keep Mixpeek's full lists. */
import { Type, type Static } from 'typebox';
import { FilterGroup, LooseObject, Nullable, PaginationResponse, SortOption, StringEnum } from './common.ts';

export const TASK_STATUSES = [
  'PENDING', 'IN_PROGRESS', 'PROCESSING', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELED',
  'UNKNOWN', 'SKIPPED', 'DRAFT', 'ACTIVE', 'ARCHIVED', 'SUSPENDED',
] as const;
export const TaskStatus = StringEnum(TASK_STATUSES, { title: 'TaskStatusEnum' });
export type TaskStatus = Static<typeof TaskStatus>;

export const TASK_TYPES = [
  'api_namespaces_create', 'api_namespaces_delete', 'api_namespaces_migrations_run',
  'api_buckets_objects_create', 'api_buckets_delete', 'api_buckets_batches_process', 'api_buckets_batches_submit',
  'api_buckets_uploads_create', 'api_buckets_uploads_confirm', 'api_buckets_uploads_batch_confirm',
  'api_collections_documents_create', 'api_collections_extraction_artifacts',
  'api_taxonomies_create', 'api_taxonomies_execute', 'api_taxonomies_materialize',
  'api_evaluations_run', 'api_evaluations_dataset_create', 'api_retrievers_publish', 'api_collections_export',
  'engine_feature_extractor_run', 'engine_inference_run', 'engine_object_processing', 'engine_cluster_build',
  'thumbnail', 'video_segment', 'audio_segment', 'materialize', 'plugin_custom', 'model_custom',
] as const;
export const TaskType = StringEnum(TASK_TYPES, { title: 'TaskType' });
export type TaskType = Static<typeof TaskType>;

const TaskIo = Nullable(Type.Array(Type.Union([Type.String(), LooseObject()])));

export const TaskResponse = Type.Object(
  {
    task_id: Type.String({ description: 'Task id.' }),
    task_type: TaskType,
    status: TaskStatus,
    inputs: Type.Optional(TaskIo),
    outputs: Type.Optional(TaskIo),
    additional_data: Type.Optional(Nullable(LooseObject(), { description: 'Task-specific extras such as cluster_id and run_id.' })),
    error: Type.Optional(Nullable(Type.String(), { description: 'Failure reason when the task failed.' })),
  },
  { title: 'TaskResponse', description: 'State of one background task.' },
);
export type TaskResponse = Static<typeof TaskResponse>;

export const ListTasksRequest = Type.Object(
  {
    status: Type.Optional(Nullable(TaskStatus)),
    task_type: Type.Optional(Nullable(TaskType)),
    filters: Type.Optional(Nullable(FilterGroup)),
    sort: Type.Optional(Nullable(SortOption)),
    search: Type.Optional(Nullable(Type.String(), { description: 'Free-text match on task fields.' })),
  },
  { title: 'ListTasksRequest', additionalProperties: false },
);
export type ListTasksRequest = Static<typeof ListTasksRequest>;

export const ListTasksResponse = Type.Object(
  {
    results: Type.Array(TaskResponse),
    pagination: PaginationResponse,
  },
  { title: 'ListTasksResponse' },
);
export type ListTasksResponse = Static<typeof ListTasksResponse>;
