/**
 * Condensed cluster tree (Campello et al. 2013, as laid out by the hdbscan
 * library and scikit-learn): walking the single-linkage tree from the top, a
 * split where both sides hold at least `minClusterSize` points gives birth to
 * two new clusters; otherwise the points of the small side leave the cluster
 * at that level and the large side keeps the cluster's identity.
 *
 * Rows are (parent cluster, child, λ = 1/distance, child size); children
 * below n are points, clusters are numbered n, n+1, … in breadth-first order
 * of the splits, root = n, exactly as scikit-learn numbers them — labels are
 * later assigned in that order.
 */
import type { SingleLinkageTree } from './single-linkage.ts';

export interface CondensedTree {
  /** Number of points; cluster ids are n … n + clusterCount − 1, the root is n. */
  n: number;
  clusterCount: number;
  parent: Int32Array;
  child: Int32Array;
  lambda: Float64Array;
  childSize: Int32Array;
}

export function condenseTree(tree: SingleLinkageTree, minClusterSize: number): CondensedTree {
  const n = tree.n;
  const rowCapacity = 2 * n;
  const parent = new Int32Array(rowCapacity);
  const child = new Int32Array(rowCapacity);
  const lambdas = new Float64Array(rowCapacity);
  const childSize = new Int32Array(rowCapacity);
  let rows = 0;
  const emit = (p: number, c: number, lambda: number, size: number): void => {
    parent[rows] = p;
    child[rows] = c;
    lambdas[rows] = lambda;
    childSize[rows] = size;
    rows++;
  };
  let nextCluster = n + 1;
  if (n < 2) return finish(n, 1, parent, child, lambdas, childSize, rows);

  const sizeOf = (node: number): number => (node < n ? 1 : tree.size[node - n]);
  const clusterOfNode = new Int32Array(2 * n - 1);
  const root = 2 * n - 2;
  clusterOfNode[root] = n;
  const queue = new Int32Array(n - 1);
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  const stack = new Int32Array(n);
  const emitPointsUnder = (node: number, cluster: number, lambda: number): void => {
    let top = 0;
    stack[top++] = node;
    while (top > 0) {
      const x = stack[--top];
      if (x < n) {
        emit(cluster, x, lambda, 1);
      } else {
        stack[top++] = tree.right[x - n];
        stack[top++] = tree.left[x - n];
      }
    }
  };

  while (head < tail) {
    const node = queue[head++];
    const k = node - n;
    const left = tree.left[k];
    const right = tree.right[k];
    const distance = tree.distance[k];
    const lambda = distance > 0 ? 1 / distance : Infinity;
    const leftSize = sizeOf(left);
    const rightSize = sizeOf(right);
    const cluster = clusterOfNode[node];
    if (leftSize >= minClusterSize && rightSize >= minClusterSize) {
      clusterOfNode[left] = nextCluster++;
      emit(cluster, clusterOfNode[left], lambda, leftSize);
      clusterOfNode[right] = nextCluster++;
      emit(cluster, clusterOfNode[right], lambda, rightSize);
      if (left >= n) queue[tail++] = left;
      if (right >= n) queue[tail++] = right;
    } else if (leftSize < minClusterSize && rightSize < minClusterSize) {
      emitPointsUnder(left, cluster, lambda);
      emitPointsUnder(right, cluster, lambda);
    } else if (leftSize < minClusterSize) {
      emitPointsUnder(left, cluster, lambda);
      clusterOfNode[right] = cluster;
      if (right >= n) queue[tail++] = right;
    } else {
      emitPointsUnder(right, cluster, lambda);
      clusterOfNode[left] = cluster;
      if (left >= n) queue[tail++] = left;
    }
  }
  return finish(n, nextCluster - n, parent, child, lambdas, childSize, rows);
}

function finish(
  n: number,
  clusterCount: number,
  parent: Int32Array,
  child: Int32Array,
  lambda: Float64Array,
  childSize: Int32Array,
  rows: number,
): CondensedTree {
  return {
    n,
    clusterCount,
    parent: parent.slice(0, rows),
    child: child.slice(0, rows),
    lambda: lambda.slice(0, rows),
    childSize: childSize.slice(0, rows),
  };
}

/** λ at which each cluster appears (0 for the root), indexed by cluster id − n. */
export function clusterBirths(tree: CondensedTree): Float64Array {
  const births = new Float64Array(tree.clusterCount);
  for (let r = 0; r < tree.child.length; r++) {
    const c = tree.child[r];
    if (c >= tree.n) births[c - tree.n] = tree.lambda[r];
  }
  return births;
}

/** Largest λ among each cluster's own rows (points leaving it and child clusters born from it). */
export function clusterDeaths(tree: CondensedTree): Float64Array {
  const deaths = new Float64Array(tree.clusterCount);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r] - tree.n;
    if (tree.lambda[r] > deaths[p]) deaths[p] = tree.lambda[r];
  }
  return deaths;
}

/**
 * Excess of mass of each cluster: Σ over its rows of (λ_row − λ_birth) × size.
 * A cluster born at distance 0 (λ = ∞) has NaN stability, as in scikit-learn.
 */
export function clusterStabilities(tree: CondensedTree): Float64Array {
  const births = clusterBirths(tree);
  const stability = new Float64Array(tree.clusterCount);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r] - tree.n;
    stability[p] += (tree.lambda[r] - births[p]) * tree.childSize[r];
  }
  return stability;
}
