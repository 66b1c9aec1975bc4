/**
 * Single linkage through a minimum spanning tree built by Prim's algorithm on
 * the implicit complete graph (Müllner's MST-LINKAGE-CORE): O(n²) distance
 * evaluations, O(n) memory, no distance matrix.
 *
 * Both references run this same Prim (start at point 0, first strict minimum
 * in index order) and record each edge as (last point added, new point): scikit-learn's
 * `mst_linkage_core` for euclidean / manhattan, scipy's `mst_single_linkage`
 * for cosine. Their outputs differ only in child order (see buildDendrogram).
 */
import { throwIfCanceled } from '../../errors.ts';
import type { MergeList } from './dendrogram.ts';
import { distancesFromRow, rowNorms } from './pairwise.ts';
import type { PairwiseMetric } from './pairwise.ts';

const CANCEL_POLL_STEPS = 64;

export function primMst(
  data: Float32Array,
  n: number,
  d: number,
  metric: PairwiseMetric,
  shouldStop: (() => boolean) | undefined,
): MergeList {
  const merges: MergeList = {
    a: new Int32Array(n - 1),
    b: new Int32Array(n - 1),
    distance: new Float64Array(n - 1),
  };
  const norms = metric === 'cosine' ? rowNorms(data, n, d) : new Float64Array(0);
  // Points not yet in the tree, kept compact by swap-removal; ties are then
  // broken by point index explicitly to keep the references' scan order.
  const outside = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) outside[i] = i + 1;
  let count = n - 1;
  const reach = new Float64Array(n).fill(Infinity);
  const fresh = new Float64Array(n - 1);
  let current = 0;
  for (let step = 0; step < n - 1; step++) {
    if (step % CANCEL_POLL_STEPS === 0) throwIfCanceled(shouldStop);
    distancesFromRow(data, d, metric, norms, current, outside, count, fresh);
    let bestDist = Infinity;
    let bestPoint = n;
    let bestPos = -1;
    for (let t = 0; t < count; t++) {
      const j = outside[t];
      if (fresh[t] < reach[j]) reach[j] = fresh[t];
      const r = reach[j];
      if (r < bestDist || (r === bestDist && j < bestPoint)) {
        bestDist = r;
        bestPoint = j;
        bestPos = t;
      }
    }
    merges.a[step] = current;
    merges.b[step] = bestPoint;
    merges.distance[step] = bestDist;
    outside[bestPos] = outside[count - 1];
    count--;
    current = bestPoint;
  }
  return merges;
}
