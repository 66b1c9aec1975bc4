/**
 * Mutual-reachability spanning tree for inputs too large and too
 * high-dimensional for the exact kd-tree path (see hdbscan.ts for when it
 * runs). It is exactly the minimum spanning tree of a graph G' over the rows,
 * with weights max(core(a), core(b), dist(a, b) / α):
 *
 *  - core distances come from approximate neighbour lists (ivf-index.ts):
 *    each is the exact distance to the minSamples-th nearest row *found*,
 *    hence equal to or larger than the true core distance;
 *  - G' holds every row's edges to its `max(minSamples, 16)` nearest rows
 *    found, so inside each connected piece of that k-NN graph the tree is
 *    its minimum spanning forest;
 *  - the pieces are joined by candidate edges between neighbouring "groups"
 *    (the rows of one index cell that belong to one piece): for each group,
 *    the groups of other pieces whose projected centres are nearest, and for
 *    each such pair the lightest of the edges between the 8 rows of either
 *    side that lie closest to the other side's centre. If that leaves pieces
 *    apart, more neighbouring groups are tried, up to all pairs, so the
 *    result is always a spanning tree.
 *
 * When the neighbour lists are exact and the true minimum spanning tree uses
 * only k-NN edges within pieces and the chosen joining edges between them,
 * the result equals the exact HDBSCAN hierarchy. Otherwise merge heights can
 * only come out higher than the exact ones: within a piece because a missing
 * edge is replaced by a heavier path, between pieces because the joining edge
 * is the lightest among the candidates tried, not among all pairs.
 */
import { throwIfCanceled } from '../../errors.ts';
import type { Rng } from '../../rng.ts';
import { CANDIDATE_MARGIN, DEFAULT_PROBES, IvfIndex, type NeighbourLists } from './ivf-index.ts';
import { distanceFromReduced, reducedDistance, reducedScale, type HdbscanMetric, type MetricSpace } from './metric-space.ts';
import type { SpanningTree } from './single-linkage.ts';
import { UnionFind } from './union-find.ts';

const GRAPH_NEIGHBOURS = 16;
const JOIN_ROWS_PER_SIDE = 8;
const JOIN_NEAREST_GROUPS = 4;

export interface ApproximateTreeOptions {
  minSamples: number;
  alpha: number;
  metric: HdbscanMetric;
}

export function approximateMutualReachabilityTree(
  space: MetricSpace,
  options: ApproximateTreeOptions,
  rng: Rng,
  shouldStop: (() => boolean) | undefined,
): { mst: SpanningTree; coreDistances: Float64Array } {
  const { n, d, points, l1 } = space;
  const { minSamples, alpha, metric } = options;
  const check = (): void => throwIfCanceled(shouldStop);
  const ivf = new IvfIndex(points, n, d, l1, rng, { probes: DEFAULT_PROBES });
  check();
  const k = Math.min(n, Math.max(minSamples, GRAPH_NEIGHBOURS));
  const lists = ivf.allKnn(k, k + CANDIDATE_MARGIN, check);
  completeShortLists(space, lists, k, minSamples);
  check();

  const coreReduced = new Float64Array(n);
  for (let i = 0; i < n; i++) coreReduced[i] = lists.reduced[i * k + minSamples - 1];
  const scale = reducedScale(metric, alpha);

  const sets = new UnionFind(n);
  const tree: SpanningTree = { from: new Int32Array(n - 1), to: new Int32Array(n - 1), weight: new Float64Array(n - 1) };
  let edges = graphForest(lists, k, coreReduced, scale, sets, tree);
  check();
  if (edges < n - 1) edges = joinPieces(ivf, space, coreReduced, scale, sets, tree, edges, check);

  const coreDistances = new Float64Array(n);
  for (let i = 0; i < n; i++) coreDistances[i] = distanceFromReduced(metric, coreReduced[i]);
  for (let e = 0; e < tree.weight.length; e++) tree.weight[e] = distanceFromReduced(metric, tree.weight[e]);
  return { mst: tree, coreDistances };
}

/** A row whose probed cells held fewer than minSamples rows gets an exact scan of all rows. */
function completeShortLists(space: MetricSpace, lists: NeighbourLists, k: number, minSamples: number): void {
  const { n, d, points, l1 } = space;
  for (let q = 0; q < n; q++) {
    if (lists.index[q * k + minSamples - 1] >= 0) continue;
    const base = q * k;
    lists.index.fill(-1, base, base + k);
    lists.reduced.fill(Infinity, base, base + k);
    for (let p = 0; p < n; p++) {
      const dist = reducedDistance(points, q, points, p, d, l1);
      const last = base + k - 1;
      if (dist >= lists.reduced[last]) continue;
      let s = last;
      while (s > base && lists.reduced[s - 1] > dist) {
        lists.reduced[s] = lists.reduced[s - 1];
        lists.index[s] = lists.index[s - 1];
        s--;
      }
      lists.reduced[s] = dist;
      lists.index[s] = p;
    }
  }
}

/** Minimum spanning forest of the k-NN graph by Borůvka rounds over its edge list. */
function graphForest(
  lists: NeighbourLists,
  k: number,
  core: Float64Array,
  scale: number,
  sets: UnionFind,
  tree: SpanningTree,
): number {
  const n = core.length;
  const component = new Int32Array(n);
  const bestWeight = new Float64Array(n);
  const bestFrom = new Int32Array(n);
  const bestTo = new Int32Array(n);
  let edges = 0;
  for (;;) {
    for (let i = 0; i < n; i++) component[i] = sets.find(i);
    bestWeight.fill(Infinity);
    for (let q = 0; q < n; q++) {
      const cq = component[q];
      for (let t = q * k; t < q * k + k; t++) {
        const p = lists.index[t];
        if (p < 0 || component[p] === cq) continue;
        const cp = component[p];
        const w = Math.max(core[q], core[p], lists.reduced[t] * scale);
        if (w < bestWeight[cq]) {
          bestWeight[cq] = w;
          bestFrom[cq] = q;
          bestTo[cq] = p;
        }
        if (w < bestWeight[cp]) {
          bestWeight[cp] = w;
          bestFrom[cp] = p;
          bestTo[cp] = q;
        }
      }
    }
    const before = edges;
    for (let c = 0; c < n; c++) {
      if (component[c] !== c || bestWeight[c] === Infinity) continue;
      if (sets.union(bestFrom[c], bestTo[c])) {
        tree.from[edges] = bestFrom[c];
        tree.to[edges] = bestTo[c];
        tree.weight[edges] = bestWeight[c];
        edges++;
      }
    }
    if (edges === before) return edges;
  }
}

/** Joins the pieces of the k-NN forest through candidate edges between neighbouring groups (see the file comment). */
function joinPieces(
  ivf: IvfIndex,
  space: MetricSpace,
  core: Float64Array,
  scale: number,
  sets: UnionFind,
  tree: SpanningTree,
  edgesSoFar: number,
  check: () => void,
): number {
  const { n, d, points, l1 } = space;
  const p = ivf.p;
  // Groups: the rows of one cell that share one piece.
  const groupOfRow = new Int32Array(n);
  const groupPiece: number[] = [];
  const groupCounts: number[] = [];
  for (let c = 0; c < ivf.cellCount; c++) {
    const local = new Map<number, number>();
    for (let i = ivf.cellStart[c]; i < ivf.cellStart[c + 1]; i++) {
      const row = ivf.cellRows[i];
      const piece = sets.find(row);
      let g = local.get(piece);
      if (g === undefined) {
        g = groupPiece.length;
        local.set(piece, g);
        groupPiece.push(piece);
        groupCounts.push(0);
      }
      groupOfRow[row] = g;
      groupCounts[g]++;
    }
  }
  const groups = groupPiece.length;
  const memberStart = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) memberStart[g + 1] = memberStart[g] + groupCounts[g];
  const members = new Int32Array(n);
  const fill = memberStart.slice(0, groups);
  for (let i = 0; i < n; i++) members[fill[groupOfRow[i]]++] = i;
  const centre = new Float64Array(groups * p);
  for (let i = 0; i < n; i++) {
    const g = groupOfRow[i];
    for (let j = 0; j < p; j++) centre[g * p + j] += ivf.projected[i * p + j];
  }
  for (let g = 0; g < groups; g++) for (let j = 0; j < p; j++) centre[g * p + j] /= groupCounts[g];

  const centreDistance = (g: number, h: number): number => {
    let s = 0;
    for (let j = 0; j < p; j++) {
      const t = centre[g * p + j] - centre[h * p + j];
      s += t * t;
    }
    return s;
  };
  // Rows of group g nearest (in the projection) to the centre of group h.
  const nearestMembers = (g: number, h: number): number[] => {
    const scored: { row: number; dist: number }[] = [];
    for (let i = memberStart[g]; i < memberStart[g + 1]; i++) {
      const row = members[i];
      let s = 0;
      for (let j = 0; j < p; j++) {
        const t = ivf.projected[row * p + j] - centre[h * p + j];
        s += t * t;
      }
      scored.push({ row, dist: s });
    }
    scored.sort((a, b) => a.dist - b.dist);
    return scored.slice(0, JOIN_ROWS_PER_SIDE).map((x) => x.row);
  };

  let edges = edgesSoFar;
  const tried = new Set<number>();
  for (let nearest = JOIN_NEAREST_GROUPS; edges < n - 1; nearest *= 2) {
    check();
    const candidates: { from: number; to: number; weight: number }[] = [];
    for (let g = 0; g < groups; g++) {
      const piece = sets.find(members[memberStart[g]]);
      const others: { h: number; dist: number }[] = [];
      for (let h = 0; h < groups; h++) {
        if (sets.find(members[memberStart[h]]) !== piece) others.push({ h, dist: centreDistance(g, h) });
      }
      others.sort((a, b) => a.dist - b.dist);
      for (const { h } of others.slice(0, nearest)) {
        const key = g < h ? g * groups + h : h * groups + g;
        if (tried.has(key)) continue;
        tried.add(key);
        let best = { from: -1, to: -1, weight: Infinity };
        const sideH = nearestMembers(h, g);
        for (const a of nearestMembers(g, h)) {
          for (const b of sideH) {
            const w = Math.max(core[a], core[b], reducedDistance(points, a, points, b, d, l1) * scale);
            if (w < best.weight) best = { from: a, to: b, weight: w };
          }
        }
        candidates.push(best);
      }
    }
    candidates.sort((a, b) => a.weight - b.weight);
    for (const e of candidates) {
      if (sets.union(e.from, e.to)) {
        tree.from[edges] = e.from;
        tree.to[edges] = e.to;
        tree.weight[edges] = e.weight;
        edges++;
      }
    }
    if (nearest >= groups) break;
  }
  if (edges < n - 1) throw new Error('approximate HDBSCAN could not connect its neighbour graph');
  return edges;
}
