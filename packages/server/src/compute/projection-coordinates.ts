/**
 * Puts the compute thread's map coordinates (ProjectionOutput) onto an execution's members and
 * centroids, and describes the projection for `algorithm_details.projection`.
 *
 * Centroids: PCA maps the first clustering's centres exactly (the thread transforms them);
 * every other centre (UMAP, other features of 'independent', sub-clusters, noise) sits at the
 * mean of its members' coordinates, counting the members of its sub-clusters. For PCA with
 * mean centres both rules give the same point.
 */
import type { ProjectionConfig } from '../domain/cluster-config.ts';
import type { CentroidSummary, MemberRow } from '../domain/records.ts';
import type { ProjectionOutput, ProjectionTask } from './cluster-task.ts';

/**
 * 'auto' uses UMAP up to this many documents. Measured here (bench machine under load, 2-D and
 * 3-D layouts together, 200 epochs): 1,000 rows ≈ 3.5 s of CPU, 2,000 ≈ 8 s, 5,000 ≈ 20 s.
 * A few seconds is what a scatter plot may add to a small run; larger runs ask for 'umap'.
 */
export const AUTO_UMAP_MAX_POINTS = 1_000;
/** UMAP fits on at most this many rows and places the rest by their fitted neighbours. */
export const UMAP_MAX_FIT_POINTS = 5_000;

export function projectionTaskOf(config: ProjectionConfig | undefined): ProjectionTask {
  return {
    method: config?.method ?? 'auto',
    nNeighbors: config?.n_neighbors ?? 15,
    minDist: config?.min_dist ?? 0.1,
    autoUmapMaxPoints: AUTO_UMAP_MAX_POINTS,
    umapMaxFitPoints: UMAP_MAX_FIT_POINTS,
  };
}

/** Adds x, y, x3, y3, z3 to `member` from row `row` of the projection. */
export function withCoordinates(member: MemberRow, projection: ProjectionOutput | null, row: number): MemberRow {
  if (!projection) return member;
  const p2 = projection.points2d;
  const p3 = projection.points3d;
  member.x = p2[row * 2]!;
  member.y = p2[row * 2 + 1]!;
  member.x3 = p3[row * 3]!;
  member.y3 = p3[row * 3 + 1]!;
  member.z3 = p3[row * 3 + 2]!;
  return member;
}

/** Sets `coordinates` on every centroid that has none yet (see the module comment). */
export function placeCentroids(centroids: CentroidSummary[], members: MemberRow[], projection: ProjectionOutput | null, firstResultIds: string[]): void {
  if (!projection) return;
  if (projection.centroids2d && projection.centroids3d) {
    const byId = new Map(centroids.map((c) => [c.cluster_id, c]));
    firstResultIds.forEach((id, c) => {
      const centroid = byId.get(id);
      if (!centroid) return;
      const p2 = projection.centroids2d!;
      const p3 = projection.centroids3d!;
      centroid.coordinates = { x: p2[c * 2]!, y: p2[c * 2 + 1]!, x3: p3[c * 3]!, y3: p3[c * 3 + 1]!, z3: p3[c * 3 + 2]! };
    });
  }
  const sums = new Map<string, number[]>();
  for (const m of members) {
    if (typeof m.x !== 'number') continue;
    let s = sums.get(m.clusterId);
    if (!s) sums.set(m.clusterId, (s = [0, 0, 0, 0, 0, 0]));
    s[0]! += m.x;
    s[1]! += m.y!;
    s[2]! += m.x3!;
    s[3]! += m.y3!;
    s[4]! += m.z3!;
    s[5]! += 1;
  }
  for (const centroid of centroids) {
    if (centroid.coordinates) continue;
    // The cluster's own members and those of its sub-clusters (cl_0 → cl_0, cl_0_sub_1, …).
    const total = [0, 0, 0, 0, 0, 0];
    for (const [id, s] of sums) {
      if (id !== centroid.cluster_id && !id.startsWith(`${centroid.cluster_id}_sub_`)) continue;
      for (let i = 0; i < 6; i++) total[i]! += s[i]!;
    }
    if (total[5] === 0) continue;
    const n = total[5]!;
    centroid.coordinates = { x: total[0]! / n, y: total[1]! / n, x3: total[2]! / n, y3: total[3]! / n, z3: total[4]! / n };
  }
}

/** `algorithm_details.projection`. */
export function projectionDetails(projection: ProjectionOutput | null, task: ProjectionTask): Record<string, unknown> | null {
  if (!projection) return null;
  return {
    method: projection.method,
    requested_method: task.method,
    dimensions: [2, 3],
    fitted_points: projection.fittedPoints,
    ...(projection.explainedVarianceRatio ? { explained_variance_ratio: projection.explainedVarianceRatio } : {}),
    ...(projection.method === 'umap' ? { n_neighbors: task.nNeighbors, min_dist: task.minDist } : {}),
    ...(projection.note ? { note: projection.note } : {}),
  };
}
