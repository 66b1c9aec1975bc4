/** Cluster analytics shapes, mirroring the reference's api.analytics.clusters models. */
import { Type, type Static } from 'typebox';
import { DateTime, LooseObject } from './common.ts';

export const TimeRange = Type.Object({ start: DateTime(), end: DateTime() }, { title: 'TimeRange' });

export const ClusterExecutionMetric = Type.Object(
  {
    execution_id: Type.String({ description: 'The run id.' }),
    started_at: DateTime({ description: 'Start time (creation time while still pending).' }),
    duration_seconds: Type.Number({ description: 'Start to completion; up to now while running; 0 while pending.' }),
    num_documents: Type.Integer(),
    num_clusters: Type.Integer(),
    status: Type.String(),
    algorithm: Type.String(),
  },
  { title: 'ClusterExecutionMetric' },
);
export type ClusterExecutionMetric = Static<typeof ClusterExecutionMetric>;

export const ExecutionHistoryResponse = Type.Object(
  {
    cluster_id: Type.String(),
    time_range: TimeRange,
    results: Type.Array(ClusterExecutionMetric),
    summary: Type.Optional(
      LooseObject({ description: 'total_executions and executions_by_status over the whole window; success_rate; avg_duration_seconds, avg_num_documents and avg_num_clusters over the completed executions returned.' }),
    ),
  },
  { title: 'ExecutionHistoryResponse' },
);
export type ExecutionHistoryResponse = Static<typeof ExecutionHistoryResponse>;

export const FailureMetric = Type.Object(
  {
    timestamp: DateTime(),
    execution_id: Type.String(),
    error_message: Type.String(),
    error_type: Type.String({ description: 'canceled, worker_lost, missing_input, insufficient_data, dimension_mismatch, algorithm_error or execution_error.' }),
  },
  { title: 'FailureMetric' },
);
export type FailureMetric = Static<typeof FailureMetric>;

export const FailureAnalysisResponse = Type.Object(
  {
    cluster_id: Type.String(),
    time_range: TimeRange,
    failures: Type.Array(FailureMetric),
    total_failures: Type.Integer(),
  },
  { title: 'FailureAnalysisResponse' },
);
export type FailureAnalysisResponse = Static<typeof FailureAnalysisResponse>;

export const ExecutionHistoryQuery = Type.Object(
  {
    hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, default: 168, description: 'Hours of history' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { title: 'ExecutionHistoryQuery' },
);

export const FailureAnalysisQuery = Type.Object(
  { hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, default: 168 })) },
  { title: 'FailureAnalysisQuery' },
);

export const AnalyticsClusterParams = Type.Object({ cluster_id: Type.String() }, { title: 'AnalyticsClusterParams' });
