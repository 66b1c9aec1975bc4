/**
 * From a list of merges to scikit-learn's `children_` / `distances_`, and from
 * those to flat labels numbered exactly as scikit-learn numbers them.
 */

/** Merges between point-indexed clusters, in discovery order (either algorithm's). */
export interface MergeList {
  /** A point of each merged cluster (any point: clusters are resolved by union-find). */
  a: Int32Array;
  b: Int32Array;
  distance: Float64Array;
}

export interface Dendrogram {
  /** (n − 1) × 2, row-major: merge k creates node n + k from these two nodes. */
  children: Int32Array;
  /** Merge heights, non-decreasing. */
  distances: Float64Array;
}

/**
 * Stable sort by distance, then name clusters by union-find so that merge k
 * creates node n + k, as both scipy (`label`) and scikit-learn
 * (`_single_linkage_label`) do. They differ only in child order: scipy
 * writes the smaller node id first (`orderChildren`), scikit-learn's MST path
 * keeps the cluster of `a` first.
 */
export function buildDendrogram(merges: MergeList, n: number, orderChildren: boolean): Dendrogram {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i);
  const dist = merges.distance;
  order.sort((p, q) => dist[p] - dist[q] || p - q);
  const parent = new Int32Array(2 * n - 1).fill(-1);
  const find = (start: number): number => {
    let root = start;
    while (parent[root] !== -1) root = parent[root];
    let p = start;
    while (p !== root) {
      const up = parent[p];
      parent[p] = root;
      p = up;
    }
    return root;
  };
  const children = new Int32Array(2 * m);
  const distances = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const src = order[k];
    const ra = find(merges.a[src]);
    const rb = find(merges.b[src]);
    const swap = orderChildren && ra > rb;
    children[2 * k] = swap ? rb : ra;
    children[2 * k + 1] = swap ? ra : rb;
    distances[k] = dist[src];
    parent[ra] = n + k;
    parent[rb] = n + k;
  }
  return { children, distances };
}

/**
 * scikit-learn's `_hc_cut`: starting from the root, repeatedly split the
 * highest-numbered node in a Python `heapq` of negated node ids, then number
 * clusters by their position in the heap's list. The numbering therefore
 * depends on heapq's exact sift order, which `PyHeap` reproduces.
 */
export function cutTree(children: Int32Array, n: number, nClusters: number): Int32Array {
  const heap = new PyHeap();
  heap.push(-(Math.max(children[2 * (n - 2)], children[2 * (n - 2) + 1]) + 1));
  for (let c = 1; c < nClusters; c++) {
    const node = -heap.top();
    const k = node - n;
    heap.push(-children[2 * k]);
    heap.pushPop(-children[2 * k + 1]);
  }
  const labels = new Int32Array(n);
  const stack: number[] = [];
  const items = heap.items;
  for (let label = 0; label < items.length; label++) {
    stack.push(-items[label]);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < n) {
        labels[node] = label;
      } else {
        stack.push(children[2 * (node - n)], children[2 * (node - n) + 1]);
      }
    }
  }
  return labels;
}

/** A min-heap with CPython `heapq`'s sift procedures, so item positions match. */
class PyHeap {
  readonly items: number[] = [];

  top(): number {
    return this.items[0];
  }

  push(value: number): void {
    this.items.push(value);
    this.siftDown(0, this.items.length - 1);
  }

  /** heapq.heappushpop: push, then pop the smallest (the pushed value if it is the smallest). */
  pushPop(value: number): number {
    const h = this.items;
    if (h.length > 0 && h[0] < value) {
      const smallest = h[0];
      h[0] = value;
      this.siftUp(0);
      return smallest;
    }
    return value;
  }

  /** Move the item at pos up towards start while it is smaller than its parent. */
  private siftDown(start: number, pos: number): void {
    const h = this.items;
    const item = h[pos];
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = h[parentPos];
      if (!(item < parent)) break;
      h[pos] = parent;
      pos = parentPos;
    }
    h[pos] = item;
  }

  /** Move the smaller child up until a leaf is reached, then settle the item there. */
  private siftUp(pos: number): void {
    const h = this.items;
    const end = h.length;
    const start = pos;
    const item = h[pos];
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(h[child] < h[right])) child = right;
      h[pos] = h[child];
      pos = child;
      child = 2 * pos + 1;
    }
    h[pos] = item;
    this.siftDown(start, pos);
  }
}
