/** The tasks a helper thread of a RowPool can run, by name. */
import { KMEANS_SHARD_TASKS } from '../cluster/kmeans-shards.ts';
import { PAIRWISE_TASKS } from '../cluster/agglomerative/pairwise.ts';
import { HDBSCAN_KNN_TASKS } from '../cluster/hdbscan/shared-knn.ts';
import { SILHOUETTE_PART_TASKS } from '../metrics/silhouette-parts.ts';

const TASKS: Record<string, (args: never) => unknown> = { ...KMEANS_SHARD_TASKS, ...SILHOUETTE_PART_TASKS, ...HDBSCAN_KNN_TASKS, ...PAIRWISE_TASKS };

/** The helper side: runs one task posted through a RowPool. */
export function runRowTask(task: string, args: unknown): unknown {
  const run = TASKS[task];
  if (!run) throw new Error(`unknown row task ${task}`);
  return run(args as never);
}
