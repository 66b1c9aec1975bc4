/**
 * Single-linkage dendrogram from a minimum spanning tree, in scipy's linkage
 * layout (the one scikit-learn's HDBSCAN uses): merge k creates node n + k
 * from `left[k]` and `right[k]` (ids < n are points) at height `distance[k]`.
 */
import { UnionFind } from './union-find.ts';

export interface SpanningTree {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

export interface SingleLinkageTree {
  n: number;
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
}

/**
 * Edges are merged by increasing weight; equal weights keep their order in
 * `mst` (a stable sort), so the caller decides how ties are laid out.
 */
export function singleLinkageFromMst(mst: SpanningTree, n: number): SingleLinkageTree {
  const m = n - 1;
  if (mst.from.length !== m) throw new RangeError(`a spanning tree of ${n} points needs ${m} edges, got ${mst.from.length}`);
  const order = stableOrderByWeight(mst.weight);
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const size = new Int32Array(m);
  const sets = new UnionFind(n);
  // Tree node that currently stands for each set, keyed by the set's root.
  const nodeOfRoot = new Int32Array(n);
  const sizeOfRoot = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) nodeOfRoot[i] = i;
  for (let k = 0; k < m; k++) {
    const e = order[k];
    const ra = sets.find(mst.from[e]);
    const rb = sets.find(mst.to[e]);
    if (ra === rb) throw new Error('the edges given as a spanning tree contain a cycle');
    left[k] = nodeOfRoot[ra];
    right[k] = nodeOfRoot[rb];
    distance[k] = mst.weight[e];
    const merged = sizeOfRoot[ra] + sizeOfRoot[rb];
    size[k] = merged;
    sets.union(ra, rb);
    const root = sets.find(ra);
    nodeOfRoot[root] = n + k;
    sizeOfRoot[root] = merged;
  }
  return { n, left, right, distance, size };
}

function stableOrderByWeight(weight: Float64Array): Int32Array {
  const order = new Int32Array(weight.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => weight[a] - weight[b] || a - b);
  return order;
}
