/**
 * A kd-tree for exact neighbour queries in low dimensions (d ≲ 20), under
 * any Minkowski metric (cosine runs as euclidean on normalised rows).
 *
 * Layout follows scikit-learn's KDTree: a complete binary tree in heap order
 * (children of node i are 2i+1 and 2i+2), each node splitting its index range
 * at the middle along the coordinate of widest spread, so every leaf holds
 * between leafSize and 2·leafSize points. Points are copied in tree order so
 * a leaf scan reads one contiguous block.
 *
 * Pruning is exact, not approximate: a box bound is built from the same
 * float64 differences, squared and summed in the same column order as the
 * point distances, and rounding is monotone, so a box's lower bound never
 * exceeds the distance later computed to any point inside it.
 */
import { KIND_L1, KIND_L2, KIND_LINF } from './metric.ts';

// Module-local copies: imported bindings can compile to accessor calls,
// which showed up in profiles of the inner loops.
const L2 = KIND_L2;
const L1 = KIND_L1;
const LINF = KIND_LINF;

/**
 * A set of points (by tree position) with per-node member counts, so queries
 * can skip empty subtrees. With `tightBoxes`, each node also keeps the
 * bounding box of its members only, which queries over the set use instead
 * of the node's full box: as a set shrinks (OPTICS's unprocessed points) its
 * boxes shrink with it and prune far better.
 */
export class PointMask {
  readonly member: Uint8Array;
  readonly nodeCount: Int32Array;
  /** Member bounding boxes (nNodes×d), or the tree's own boxes without tightBoxes. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  private readonly tight: boolean;
  private readonly tree: KdTree;

  constructor(tree: KdTree, allMembers: boolean, tightBoxes = false) {
    this.tree = tree;
    this.tight = tightBoxes;
    this.member = new Uint8Array(tree.n);
    this.nodeCount = new Int32Array(tree.nNodes);
    if (tightBoxes) {
      this.lo = allMembers ? tree.lo.slice() : new Float64Array(tree.lo.length).fill(Infinity);
      this.hi = allMembers ? tree.hi.slice() : new Float64Array(tree.hi.length).fill(-Infinity);
    } else {
      this.lo = tree.lo;
      this.hi = tree.hi;
    }
    if (allMembers) {
      this.member.fill(1);
      for (let node = 0; node < tree.nNodes; node++) this.nodeCount[node] = tree.nodeEnd[node] - tree.nodeStart[node];
    }
  }

  add(pos: number): void {
    if (this.member[pos] === 1) return;
    this.member[pos] = 1;
    const d = this.tree.d;
    const pts = this.tree.points;
    for (let node = this.tree.leafOf[pos]; ; node = (node - 1) >> 1) {
      this.nodeCount[node]++;
      if (this.tight) {
        for (let j = 0; j < d; j++) {
          const v = pts[pos * d + j];
          if (v < this.lo[node * d + j]) this.lo[node * d + j] = v;
          if (v > this.hi[node * d + j]) this.hi[node * d + j] = v;
        }
      }
      if (node === 0) break;
    }
  }

  remove(pos: number): void {
    if (this.member[pos] === 0) return;
    this.member[pos] = 0;
    const leaf = this.tree.leafOf[pos];
    for (let node = leaf; ; node = (node - 1) >> 1) {
      this.nodeCount[node]--;
      if (node === 0) break;
    }
    if (!this.tight) return;
    // Shrink the leaf's box, then its ancestors' for as long as anything changes.
    let changed = this.fitLeafBox(leaf);
    for (let node = leaf; changed && node > 0; ) {
      node = (node - 1) >> 1;
      changed = this.fitParentBox(node);
    }
  }

  private fitLeafBox(leaf: number): boolean {
    const tree = this.tree;
    const d = tree.d;
    const pts = tree.points;
    const b = leaf * d;
    let changed = false;
    for (let j = 0; j < d; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let t = tree.nodeStart[leaf]; t < tree.nodeEnd[leaf]; t++) {
        if (this.member[t] === 0) continue;
        const v = pts[t * d + j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo !== this.lo[b + j] || hi !== this.hi[b + j]) changed = true;
      this.lo[b + j] = lo;
      this.hi[b + j] = hi;
    }
    return changed;
  }

  private fitParentBox(node: number): boolean {
    const d = this.tree.d;
    const b = node * d;
    const l = (2 * node + 1) * d;
    const r = l + d;
    let changed = false;
    for (let j = 0; j < d; j++) {
      const lo = Math.min(this.lo[l + j], this.lo[r + j]);
      const hi = Math.max(this.hi[l + j], this.hi[r + j]);
      if (lo !== this.lo[b + j] || hi !== this.hi[b + j]) changed = true;
      this.lo[b + j] = lo;
      this.hi[b + j] = hi;
    }
    return changed;
  }
}

/** Growable hit list for radius queries: tree positions and reduced distances. */
export class Hits {
  pos = new Int32Array(256);
  rdist = new Float64Array(256);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(pos: number, rdist: number): void {
    if (this.count === this.pos.length) {
      const grownPos = new Int32Array(this.pos.length * 2);
      grownPos.set(this.pos);
      this.pos = grownPos;
      const grownRdist = new Float64Array(this.rdist.length * 2);
      grownRdist.set(this.rdist);
      this.rdist = grownRdist;
    }
    this.pos[this.count] = pos;
    this.rdist[this.count] = rdist;
    this.count++;
  }
}

export const DEFAULT_LEAF_SIZE = 16;

export class KdTree {
  readonly n: number;
  readonly d: number;
  /** Search kind from metric.ts: KIND_L2, KIND_L1, KIND_LINF or KIND_LP. */
  readonly kind: number;
  readonly p: number;
  /** n×d, in tree order. */
  readonly points: Float64Array;
  /** Tree position → original row. */
  readonly order: Int32Array;
  /** Original row → tree position. */
  readonly position: Int32Array;
  readonly nNodes: number;
  readonly firstLeaf: number;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** nNodes×d bounding boxes. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Tree position → the leaf holding it. */
  readonly leafOf: Int32Array;
  /** Points whose distance k-NN searches have computed so far: a measure of how well the tree prunes. */
  examined = 0;

  // Query state, kept on the instance so the recursive helpers take few arguments.
  private q: Float64Array = new Float64Array(0);
  private qo = 0;
  // Boxes the bounds read: the tree's own, or a tight-box mask's.
  private boxLo: Float64Array;
  private boxHi: Float64Array;
  private heapIdx: Int32Array = new Int32Array(0);
  private heapRdist: Float64Array = new Float64Array(0);
  private heapSize = 0;
  private heapCap = 0;
  private counted = 0;
  private found: Int32Array | null = null;

  /** `rows` are n×d prepared rows (see prepareRows) in original order. */
  constructor(rows: Float64Array, n: number, d: number, kind: number, p: number, leafSize = DEFAULT_LEAF_SIZE) {
    this.n = n;
    this.d = d;
    this.kind = kind;
    this.p = p;
    const levels = Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize))) + 1;
    this.nNodes = 2 ** levels - 1;
    this.firstLeaf = 2 ** (levels - 1) - 1;
    this.nodeStart = new Int32Array(this.nNodes);
    this.nodeEnd = new Int32Array(this.nNodes);
    this.lo = new Float64Array(this.nNodes * d);
    this.hi = new Float64Array(this.nNodes * d);
    this.boxLo = this.lo;
    this.boxHi = this.hi;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    const keys = new Float64Array(n);
    this.build(rows, keys, 0, 0, n);
    this.points = new Float64Array(n * d);
    this.position = new Int32Array(n);
    this.leafOf = new Int32Array(n);
    for (let t = 0; t < n; t++) {
      const row = this.order[t];
      this.position[row] = t;
      this.points.set(rows.subarray(row * d, row * d + d), t * d);
    }
    for (let leaf = this.firstLeaf; leaf < this.nNodes; leaf++) {
      for (let t = this.nodeStart[leaf]; t < this.nodeEnd[leaf]; t++) this.leafOf[t] = leaf;
    }
  }

  private build(rows: Float64Array, keys: Float64Array, node: number, start: number, end: number): void {
    const d = this.d;
    const order = this.order;
    this.nodeStart[node] = start;
    this.nodeEnd[node] = end;
    const b = node * d;
    for (let j = 0; j < d; j++) {
      this.lo[b + j] = Infinity;
      this.hi[b + j] = -Infinity;
    }
    for (let t = start; t < end; t++) {
      const o = order[t] * d;
      for (let j = 0; j < d; j++) {
        const v = rows[o + j];
        if (v < this.lo[b + j]) this.lo[b + j] = v;
        if (v > this.hi[b + j]) this.hi[b + j] = v;
      }
    }
    if (node >= this.firstLeaf) return;
    let dim = 0;
    let spread = -1;
    for (let j = 0; j < d; j++) {
      const s = this.hi[b + j] - this.lo[b + j];
      if (s > spread) {
        spread = s;
        dim = j;
      }
    }
    for (let t = start; t < end; t++) keys[t] = rows[order[t] * d + dim];
    const mid = start + ((end - start) >> 1);
    selectNth(keys, order, start, end - 1, mid);
    this.build(rows, keys, 2 * node + 1, start, mid);
    this.build(rows, keys, 2 * node + 2, mid, end);
  }

  /** Sets the query row for minRdist / pointRdist (the query methods set it themselves). */
  setQuery(q: Float64Array, qo: number, mask: PointMask | null = null): void {
    this.q = q;
    this.qo = qo;
    this.boxLo = mask === null ? this.lo : mask.lo;
    this.boxHi = mask === null ? this.hi : mask.hi;
  }

  /** Lower bound on the reduced distance from the current query to any point of `node`. */
  minRdist(node: number): number {
    const d = this.d;
    const q = this.q;
    const qo = this.qo;
    const lo = this.boxLo;
    const hi = this.boxHi;
    const b = node * d;
    let s = 0;
    switch (this.kind) {
      case L2:
        for (let j = 0; j < d; j++) {
          const x = q[qo + j];
          const l = lo[b + j];
          const h = hi[b + j];
          const t = x < l ? l - x : x > h ? x - h : 0;
          s += t * t;
        }
        return s;
      case L1:
        for (let j = 0; j < d; j++) {
          const x = q[qo + j];
          const l = lo[b + j];
          const h = hi[b + j];
          s += x < l ? l - x : x > h ? x - h : 0;
        }
        return s;
      case LINF:
        for (let j = 0; j < d; j++) {
          const x = q[qo + j];
          const l = lo[b + j];
          const h = hi[b + j];
          const t = x < l ? l - x : x > h ? x - h : 0;
          if (t > s) s = t;
        }
        return s;
      default:
        for (let j = 0; j < d; j++) {
          const x = q[qo + j];
          const l = lo[b + j];
          const h = hi[b + j];
          const t = x < l ? l - x : x > h ? x - h : 0;
          s += Math.pow(t, this.p);
        }
        return s;
    }
  }

  /** Upper bound on the reduced distance from the current query to any point of `node`. */
  private maxRdist(node: number): number {
    const d = this.d;
    const q = this.q;
    const qo = this.qo;
    const b = node * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const x = q[qo + j];
      const t = Math.max(Math.abs(x - this.boxLo[b + j]), Math.abs(x - this.boxHi[b + j]));
      switch (this.kind) {
        case L2:
          s += t * t;
          break;
        case L1:
          s += t;
          break;
        case LINF:
          if (t > s) s = t;
          break;
        default:
          s += Math.pow(t, this.p);
      }
    }
    return s;
  }

  /** Reduced distance from the current query to the point at tree position `t`. */
  pointRdist(t: number): number {
    const d = this.d;
    const q = this.q;
    const qo = this.qo;
    const pts = this.points;
    const o = t * d;
    let s = 0;
    switch (this.kind) {
      case L2:
        for (let j = 0; j < d; j++) {
          const u = q[qo + j] - pts[o + j];
          s += u * u;
        }
        return s;
      case L1:
        for (let j = 0; j < d; j++) s += Math.abs(q[qo + j] - pts[o + j]);
        return s;
      case LINF:
        for (let j = 0; j < d; j++) {
          const u = Math.abs(q[qo + j] - pts[o + j]);
          if (u > s) s = u;
        }
        return s;
      default:
        for (let j = 0; j < d; j++) s += Math.pow(Math.abs(q[qo + j] - pts[o + j]), this.p);
        return s;
    }
  }

  /**
   * Like pointRdist but may stop summing once the partial sum exceeds
   * `limit`: the result is exact when ≤ limit, and some value > limit
   * otherwise. Far points, the common case in a range search, cost fewer
   * coordinates.
   */
  pointRdistBounded(t: number, limit: number): number {
    if (this.kind !== L2 && this.kind !== L1) return this.pointRdist(t);
    const d = this.d;
    const q = this.q;
    const qo = this.qo;
    const pts = this.points;
    const o = t * d;
    let s = 0;
    let j = 0;
    if (this.kind === L2) {
      while (j < d) {
        const stop = Math.min(d, j + 4);
        for (; j < stop; j++) {
          const u = q[qo + j] - pts[o + j];
          s += u * u;
        }
        if (s > limit) return s;
      }
    } else {
      while (j < d) {
        const stop = Math.min(d, j + 4);
        for (; j < stop; j++) s += Math.abs(q[qo + j] - pts[o + j]);
        if (s > limit) return s;
      }
    }
    return s;
  }

  /**
   * The k nearest points to row `qo / d` of `q` (prepared coordinates), in
   * increasing (rdist, original row) order, among `mask` members when a mask
   * is given, and only among points with reduced distance > rLow (≥ rLow
   * when `includeLow`). Writes original rows to `outIdx` and reduced
   * distances to `outRdist`; returns how many were found (fewer than k only
   * when fewer qualify).
   */
  knn(
    q: Float64Array,
    qo: number,
    k: number,
    outIdx: Int32Array,
    outRdist: Float64Array,
    mask: PointMask | null = null,
    rLow = -1,
    includeLow = false,
  ): number {
    this.setQuery(q, qo, mask);
    if (this.heapIdx.length < k) {
      this.heapIdx = new Int32Array(k);
      this.heapRdist = new Float64Array(k);
    }
    this.heapSize = 0;
    this.heapCap = k;
    this.knnNode(0, this.minRdist(0), mask, rLow, includeLow);
    const found = this.heapSize;
    // Pop the max-heap from the back to get ascending order.
    for (let i = found - 1; i >= 0; i--) {
      outIdx[i] = this.heapIdx[0];
      outRdist[i] = this.heapRdist[0];
      this.heapPopMax();
    }
    return found;
  }

  private knnNode(node: number, bound: number, mask: PointMask | null, rLow: number, includeLow: boolean): void {
    if (this.heapSize === this.heapCap && bound > this.heapRdist[0]) return;
    if (mask !== null && mask.nodeCount[node] === 0) return;
    if (rLow >= 0 && bound <= rLow) {
      const far = this.maxRdist(node);
      if (includeLow ? far < rLow : far <= rLow) return;
    }
    if (node >= this.firstLeaf) {
      const order = this.order;
      this.examined += this.nodeEnd[node] - this.nodeStart[node];
      if (this.kind === L2 && mask === null && rLow < 0) {
        this.knnLeafL2(node);
        return;
      }
      for (let t = this.nodeStart[node]; t < this.nodeEnd[node]; t++) {
        if (mask !== null && mask.member[t] === 0) continue;
        const r = this.heapSize < this.heapCap ? this.pointRdist(t) : this.pointRdistBounded(t, this.heapRdist[0]);
        if (includeLow ? r < rLow : r <= rLow) continue;
        if (this.heapSize < this.heapCap) {
          this.heapPush(order[t], r);
        } else if (r < this.heapRdist[0] || (r === this.heapRdist[0] && order[t] < this.heapIdx[0])) {
          this.heapReplaceMax(order[t], r);
        }
      }
      return;
    }
    const left = 2 * node + 1;
    const right = left + 1;
    const bl = this.minRdist(left);
    const br = this.minRdist(right);
    if (bl <= br) {
      this.knnNode(left, bl, mask, rLow, includeLow);
      this.knnNode(right, br, mask, rLow, includeLow);
    } else {
      this.knnNode(right, br, mask, rLow, includeLow);
      this.knnNode(left, bl, mask, rLow, includeLow);
    }
  }

  /**
   * The plain euclidean leaf scan of knnNode (every all-points k-NN search
   * runs it): one loop with the query held in locals, and half the
   * coordinates summed before a point already worse than the k-th is dropped.
   */
  private knnLeafL2(node: number): void {
    const d = this.d;
    const half = d >> 1;
    const q = this.q;
    const qo = this.qo;
    const pts = this.points;
    const order = this.order;
    const end = this.nodeEnd[node];
    for (let t = this.nodeStart[node]; t < end; t++) {
      const full = this.heapSize === this.heapCap;
      const worst = full ? this.heapRdist[0] : Infinity;
      const o = t * d;
      let s = 0;
      let j = 0;
      for (; j < half; j++) {
        const u = q[qo + j] - pts[o + j];
        s += u * u;
      }
      if (s > worst) continue;
      for (; j < d; j++) {
        const u = q[qo + j] - pts[o + j];
        s += u * u;
      }
      if (!full) this.heapPush(order[t], s);
      else if (s < worst || (s === worst && order[t] < this.heapIdx[0])) this.heapReplaceMax(order[t], s);
    }
  }

  private heapPush(idx: number, r: number): void {
    const hi = this.heapIdx;
    const hr = this.heapRdist;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(r, idx, hr[parent], hi[parent])) break;
      hi[i] = hi[parent];
      hr[i] = hr[parent];
      i = parent;
    }
    hi[i] = idx;
    hr[i] = r;
  }

  private heapReplaceMax(idx: number, r: number): void {
    this.siftDownFromRoot(idx, r, this.heapSize);
  }

  private heapPopMax(): void {
    const last = --this.heapSize;
    if (last > 0) this.siftDownFromRoot(this.heapIdx[last], this.heapRdist[last], last);
  }

  private siftDownFromRoot(idx: number, r: number, size: number): void {
    const hi = this.heapIdx;
    const hr = this.heapRdist;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      if (l + 1 < size && worse(hr[l + 1], hi[l + 1], hr[l], hi[l])) c = l + 1;
      if (!worse(hr[c], hi[c], r, idx)) break;
      hi[i] = hi[c];
      hr[i] = hr[c];
      i = c;
    }
    hi[i] = idx;
    hr[i] = r;
  }

  /**
   * Counts points within reduced distance `r` (inclusive) of the query,
   * stopping early once `limit` is reached, and writes the tree positions of
   * the first `found.length` points counted into `found`. Nearer subtrees are
   * visited first so that dense neighbourhoods stop after a leaf or two.
   */
  countWithin(q: Float64Array, qo: number, r: number, limit: number, found: Int32Array | null = null): number {
    this.setQuery(q, qo);
    this.counted = 0;
    this.found = found;
    this.countNode(0, this.minRdist(0), r, limit);
    return this.counted;
  }

  private countNode(node: number, bound: number, r: number, limit: number): void {
    if (bound > r) return;
    if (node >= this.firstLeaf) {
      const end = this.nodeEnd[node];
      if (this.kind === L2) {
        const d = this.d;
        const q = this.q;
        const qo = this.qo;
        const pts = this.points;
        for (let t = this.nodeStart[node]; t < end; t++) {
          const o = t * d;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const u = q[qo + j] - pts[o + j];
            s += u * u;
          }
          if (s <= r) this.recordFound(t);
        }
      } else {
        for (let t = this.nodeStart[node]; t < end; t++) {
          if (this.pointRdist(t) <= r) this.recordFound(t);
        }
      }
      return;
    }
    const left = 2 * node + 1;
    const right = left + 1;
    const bl = this.minRdist(left);
    const br = this.minRdist(right);
    // Nearer child first, so dense neighbourhoods reach the limit after a leaf or two.
    if (bl <= br) {
      this.countNode(left, bl, r, limit);
      if (this.counted < limit) this.countNode(right, br, r, limit);
    } else {
      this.countNode(right, br, r, limit);
      if (this.counted < limit) this.countNode(left, bl, r, limit);
    }
  }

  private recordFound(t: number): void {
    const found = this.found;
    if (found !== null && this.counted < found.length) found[this.counted] = t;
    this.counted++;
  }

  /**
   * Appends to `hits` every point whose reduced distance to the query lies
   * in (rLow, r], restricted to `mask` members when a mask is given.
   * rLow < 0 means no lower limit.
   */
  within(q: Float64Array, qo: number, r: number, hits: Hits, mask: PointMask | null = null, rLow = -1): void {
    this.setQuery(q, qo, mask);
    this.withinNode(0, r, hits, mask, rLow);
  }

  private withinNode(node: number, r: number, hits: Hits, mask: PointMask | null, rLow: number): void {
    if (mask !== null && mask.nodeCount[node] === 0) return;
    const near = this.minRdist(node);
    if (near > r) return;
    if (rLow >= 0 && near <= rLow && this.maxRdist(node) <= rLow) return;
    if (node >= this.firstLeaf) {
      const start = this.nodeStart[node];
      const end = this.nodeEnd[node];
      if (this.kind === L2) {
        const d = this.d;
        const half = d >> 1;
        const q = this.q;
        const qo = this.qo;
        const pts = this.points;
        for (let t = start; t < end; t++) {
          if (mask !== null && mask.member[t] === 0) continue;
          const o = t * d;
          let s = 0;
          let j = 0;
          // Most points of a visited leaf are out of range: drop them half-way.
          for (; j < half; j++) {
            const u = q[qo + j] - pts[o + j];
            s += u * u;
          }
          if (s > r) continue;
          for (; j < d; j++) {
            const u = q[qo + j] - pts[o + j];
            s += u * u;
          }
          if (s <= r && s > rLow) hits.push(t, s);
        }
      } else {
        for (let t = start; t < end; t++) {
          if (mask !== null && mask.member[t] === 0) continue;
          const dist = this.pointRdist(t);
          if (dist <= r && dist > rLow) hits.push(t, dist);
        }
      }
      return;
    }
    this.withinNode(2 * node + 1, r, hits, mask, rLow);
    this.withinNode(2 * node + 2, r, hits, mask, rLow);
  }
}

/** Heap order for k-NN: larger rdist is worse, then larger row index. */
function worse(r1: number, i1: number, r2: number, i2: number): boolean {
  return r1 > r2 || (r1 === r2 && i1 > i2);
}

/**
 * Rearranges keys[lo..hi] (and `order` alongside) so that position k holds
 * the value it would hold if sorted, smaller-or-equal values before it and
 * larger-or-equal after (Hoare partition with median-of-three pivots).
 */
function selectNth(keys: Float64Array, order: Int32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    if (keys[mid] < keys[lo]) swap(keys, order, mid, lo);
    if (keys[hi] < keys[lo]) swap(keys, order, hi, lo);
    if (keys[hi] < keys[mid]) swap(keys, order, hi, mid);
    const pivot = keys[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        swap(keys, order, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(keys: Float64Array, order: Int32Array, a: number, b: number): void {
  const tk = keys[a];
  keys[a] = keys[b];
  keys[b] = tk;
  const to = order[a];
  order[a] = order[b];
  order[b] = to;
}
