/**
 * A kd-tree over Float32 rows for exact k-nearest-neighbour queries and for
 * the Borůvka search. It lives here (not in a shared neighbours module) so
 * that HDBSCAN only depends on the few members below.
 *
 * Splits use the sliding-midpoint rule (as Mount & Arya's ANN library does):
 * cut the widest side of the node's bounding box in its middle, and if one
 * side would be empty, slide the cut to the nearest row. Unlike median
 * splits this keeps sparse rows (outliers, uniform noise) out of the leaves
 * of dense regions, whose bounding boxes stay tight. Past a depth cap the
 * tree falls back to median splits, so adversarial inputs (exponentially
 * spaced values) cannot make it deeper than O(log n).
 *
 * Nodes are numbered in creation order, children after their parent, so a
 * descending walk over node ids is bottom-up. Rows are copied in tree order
 * so that each node covers one contiguous block [nodeStart, nodeEnd) and
 * `index[position]` maps back to the caller's row. Distances are "reduced":
 * squared L2, or L1 sums (see metric-space.ts).
 */

const DEFAULT_LEAF_SIZE = 32;

/** Highest dimension where kd-tree boxes still prune well enough to beat comparing all pairs. */
export const KD_TREE_MAX_DIMENSION = 16;

export class KdTree {
  readonly n: number;
  readonly d: number;
  readonly l1: boolean;
  /** Rows in tree order. */
  readonly points: Float32Array;
  /** Tree position → caller's row. */
  readonly index: Int32Array;
  readonly nodeCount: number;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** Child node ids; −1 for leaves. */
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  /** Bounding boxes, nodeCount × d. */
  readonly lower: Float32Array;
  readonly upper: Float32Array;
  /** Number of nodes on the longest root-to-leaf path. */
  readonly depth: number;
  /** Rows in the largest leaf (only leaves of identical rows can exceed the leaf size). */
  readonly maxLeafRows: number;
  private readonly stackNode: Int32Array;
  private readonly stackBound: Float64Array;
  /** Rows of a query leaf that still need a reference leaf (leafKnn). */
  private passing = new Int32Array(0);

  constructor(data: Float32Array, n: number, d: number, l1: boolean, leafSize = DEFAULT_LEAF_SIZE) {
    this.n = n;
    this.d = d;
    this.l1 = l1;
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) index[i] = i;
    const builder = new TreeBuilder(data, n, d, index);
    const depthCap = 2 * Math.ceil(Math.log2(Math.max(2, n / leafSize))) + 24;
    const pending: number[] = [builder.addNode(0, n), 1];
    let depth = 1;
    while (pending.length > 0) {
      const level = pending.pop()!;
      const node = pending.pop()!;
      if (level > depth) depth = level;
      const start = builder.start[node];
      const end = builder.end[node];
      if (end - start <= leafSize) continue;
      const dim = builder.widestDimension(node);
      const lo = builder.lower[node * d + dim];
      const hi = builder.upper[node * d + dim];
      // Identical rows cannot be separated; they stay together in one leaf.
      if (!(hi > lo)) continue;
      const mid =
        level < depthCap ? slidingMidpointSplit(data, d, index, start, end, dim, lo, hi) : medianSplit(data, d, index, start, end, dim);
      const left = builder.addNode(start, mid);
      const right = builder.addNode(mid, end);
      builder.left[node] = left;
      builder.right[node] = right;
      pending.push(right, level + 1, left, level + 1);
    }
    this.nodeCount = builder.count;
    this.nodeStart = builder.start.slice(0, builder.count);
    this.nodeEnd = builder.end.slice(0, builder.count);
    this.leftChild = builder.left.slice(0, builder.count);
    this.rightChild = builder.right.slice(0, builder.count);
    this.lower = builder.lower.slice(0, builder.count * d);
    this.upper = builder.upper.slice(0, builder.count * d);
    this.depth = depth;
    let maxLeafRows = 0;
    for (let node = 0; node < this.nodeCount; node++) {
      if (this.leftChild[node] < 0) maxLeafRows = Math.max(maxLeafRows, this.nodeEnd[node] - this.nodeStart[node]);
    }
    this.maxLeafRows = maxLeafRows;
    this.stackNode = new Int32Array(2 * depth + 2);
    this.stackBound = new Float64Array(2 * depth + 2);
    this.index = index;
    const points = new Float32Array(n * d);
    for (let p = 0; p < n; p++) points.set(data.subarray(index[p] * d, index[p] * d + d), p * d);
    this.points = points;
  }

  isLeaf(node: number): boolean {
    return this.leftChild[node] < 0;
  }

  /** Smallest reduced distance from row `row` of `q` to any point of the node's box. */
  boxDistance(node: number, q: Float32Array, row: number): number {
    const d = this.d;
    const o = node * d;
    const x = row * d;
    const lower = this.lower;
    const upper = this.upper;
    let s = 0;
    if (this.l1) {
      for (let j = 0; j < d; j++) {
        const v = q[x + j];
        const lo = lower[o + j];
        const hi = upper[o + j];
        if (v < lo) s += lo - v;
        else if (v > hi) s += v - hi;
      }
    } else {
      for (let j = 0; j < d; j++) {
        const v = q[x + j];
        const lo = lower[o + j];
        const hi = upper[o + j];
        const g = v < lo ? lo - v : v > hi ? v - hi : 0;
        s += g * g;
      }
    }
    return s;
  }

  /**
   * Whether boxDistance(node, points, p) · scale < limit for the tree position
   * p; the sum stops as soon as it reaches the limit (its terms are
   * non-negative, so it can only grow).
   */
  boxDistanceBelow(node: number, p: number, limit: number, scale: number): boolean {
    const d = this.d;
    const o = node * d;
    const x = p * d;
    const pts = this.points;
    const lower = this.lower;
    const upper = this.upper;
    let s = 0;
    if (this.l1) {
      for (let j = 0; j < d; j++) {
        const v = pts[x + j];
        const lo = lower[o + j];
        const hi = upper[o + j];
        if (v < lo) s += lo - v;
        else if (v > hi) s += v - hi;
        else continue;
        if (s * scale >= limit) return false;
      }
    } else {
      for (let j = 0; j < d; j++) {
        const v = pts[x + j];
        const lo = lower[o + j];
        const hi = upper[o + j];
        let g: number;
        if (v < lo) g = lo - v;
        else if (v > hi) g = v - hi;
        else continue;
        s += g * g;
        if (s * scale >= limit) return false;
      }
    }
    return s * scale < limit;
  }

  /** Smallest reduced distance between the bounding boxes of two nodes. */
  nodeGap(a: number, b: number): number {
    const d = this.d;
    const lower = this.lower;
    const upper = this.upper;
    const oa = a * d;
    const ob = b * d;
    let s = 0;
    if (this.l1) {
      for (let j = 0; j < d; j++) {
        const g = Math.max(lower[ob + j] - upper[oa + j], lower[oa + j] - upper[ob + j]);
        if (g > 0) s += g;
      }
    } else {
      for (let j = 0; j < d; j++) {
        const g = Math.max(lower[ob + j] - upper[oa + j], lower[oa + j] - upper[ob + j]);
        if (g > 0) s += g * g;
      }
    }
    return s;
  }

  /**
   * Reduced distances from row `row` of `q` to tree positions [start, end),
   * into out[0 .. end − start). Four rows at a time with separate sums, which
   * V8 runs about twice as fast as one row at a time; each sum still adds the
   * coordinates in order, so values equal pointDistance's exactly.
   */
  distancesToRange(q: Float32Array, row: number, start: number, end: number, out: Float64Array): void {
    const d = this.d;
    const pts = this.points;
    const x = row * d;
    let p = start;
    if (this.l1) {
      for (; p + 3 < end; p += 4) {
        const y0 = p * d;
        const y1 = y0 + d;
        const y2 = y1 + d;
        const y3 = y2 + d;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < d; j++) {
          const v = q[x + j];
          s0 += Math.abs(v - pts[y0 + j]);
          s1 += Math.abs(v - pts[y1 + j]);
          s2 += Math.abs(v - pts[y2 + j]);
          s3 += Math.abs(v - pts[y3 + j]);
        }
        const o = p - start;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
      }
    } else {
      for (; p + 3 < end; p += 4) {
        const y0 = p * d;
        const y1 = y0 + d;
        const y2 = y1 + d;
        const y3 = y2 + d;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < d; j++) {
          const v = q[x + j];
          const t0 = v - pts[y0 + j];
          const t1 = v - pts[y1 + j];
          const t2 = v - pts[y2 + j];
          const t3 = v - pts[y3 + j];
          s0 += t0 * t0;
          s1 += t1 * t1;
          s2 += t2 * t2;
          s3 += t3 * t3;
        }
        const o = p - start;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
      }
    }
    for (; p < end; p++) out[p - start] = this.pointDistance(p, q, row);
  }

  /** Reduced distance from row `row` of `q` to the point at tree position `p`. */
  pointDistance(p: number, q: Float32Array, row: number): number {
    const d = this.d;
    const x = row * d;
    const y = p * d;
    const pts = this.points;
    let s = 0;
    if (this.l1) {
      for (let j = 0; j < d; j++) s += Math.abs(q[x + j] - pts[y + j]);
    } else {
      for (let j = 0; j < d; j++) {
        const t = q[x + j] - pts[y + j];
        s += t * t;
      }
    }
    return s;
  }

  /**
   * The k nearest tree positions to row `row` of `q`, closest first, written
   * to outPosition / outReduced at `offset`. k must not exceed n.
   */
  knn(q: Float32Array, row: number, k: number, outPosition: Int32Array, outReduced: Float64Array, offset: number): void {
    for (let t = 0; t < k; t++) {
      outPosition[offset + t] = -1;
      outReduced[offset + t] = Infinity;
    }
    const stackNode = this.stackNode;
    const stackBound = this.stackBound;
    const last = offset + k - 1;
    let top = 0;
    stackNode[top] = 0;
    stackBound[top] = this.boxDistance(0, q, row);
    top++;
    while (top > 0) {
      top--;
      const node = stackNode[top];
      if (stackBound[top] >= outReduced[last]) continue;
      const a = this.leftChild[node];
      if (a < 0) {
        for (let p = this.nodeStart[node]; p < this.nodeEnd[node]; p++) {
          const r = this.pointDistance(p, q, row);
          if (r >= outReduced[last]) continue;
          let t = last;
          while (t > offset && outReduced[t - 1] > r) {
            outReduced[t] = outReduced[t - 1];
            outPosition[t] = outPosition[t - 1];
            t--;
          }
          outReduced[t] = r;
          outPosition[t] = p;
        }
        continue;
      }
      const b = this.rightChild[node];
      const ra = this.boxDistance(a, q, row);
      const rb = this.boxDistance(b, q, row);
      // Push the farther child first so the nearer one is searched first.
      if (ra <= rb) {
        stackNode[top] = b;
        stackBound[top++] = rb;
        stackNode[top] = a;
        stackBound[top++] = ra;
      } else {
        stackNode[top] = a;
        stackBound[top++] = ra;
        stackNode[top] = b;
        stackBound[top++] = rb;
      }
    }
  }

  /**
   * The k nearest neighbours of every row of the tree (the row itself
   * included), by a dual-tree traversal: a pair of nodes is skipped when
   * their box gap reaches the largest current k-th distance among the query
   * node's rows, a bound that all rows of the node share.
   * Results are per tree position, closest first.
   */
  allKnn(k: number, check?: () => void): { position: Int32Array; reduced: Float64Array } {
    const position = new Int32Array(this.n * k).fill(-1);
    const reduced = new Float64Array(this.n * k).fill(Infinity);
    this.knnOfSubtree(0, k, position, reduced, check);
    return { position, reduced };
  }

  /** The root's two children (its query halves, traversed independently), or null when the root is a leaf. */
  rootChildren(): [number, number] | null {
    return this.leftChild[0] < 0 ? null : [this.leftChild[0], this.rightChild[0]];
  }

  /**
   * allKnn for the query rows under node q0 only: fills their entries of position / reduced (which
   * must hold −1 / +Infinity there) and touches no other row's. The traversal from the root visits
   * its two children one after the other with nothing shared between them, so running them
   * separately, even on two threads over two identically built trees, gives allKnn's result.
   */
  knnOfSubtree(q0: number, k: number, position: Int32Array, reduced: Float64Array, check?: () => void): void {
    const bound = new Float64Array(this.nodeCount).fill(Infinity);
    const scratch = new Float64Array(2 * this.maxLeafRows);
    this.passing = new Int32Array(this.maxLeafRows);
    let leafPairs = 0;
    // gap: this.nodeGap(q, r), computed by the caller.
    const visit = (q: number, r: number, gap: number): void => {
      if (gap >= bound[q]) return;
      const qLeft = this.leftChild[q];
      const rLeft = this.leftChild[r];
      if (qLeft < 0 && rLeft < 0) {
        if (check !== undefined && (++leafPairs & 4095) === 0) check();
        bound[q] = this.leafKnn(q, r, gap, k, position, reduced, scratch);
        return;
      }
      if (rLeft < 0 || (qLeft >= 0 && this.nodeEnd[q] - this.nodeStart[q] >= this.nodeEnd[r] - this.nodeStart[r])) {
        const qRight = this.rightChild[q];
        visit(qLeft, r, this.nodeGap(qLeft, r));
        visit(qRight, r, this.nodeGap(qRight, r));
        const refreshed = Math.max(bound[qLeft], bound[qRight]);
        if (refreshed < bound[q]) bound[q] = refreshed;
        return;
      }
      const a = rLeft;
      const b = this.rightChild[r];
      const gapA = this.nodeGap(q, a);
      const gapB = this.nodeGap(q, b);
      if (gapA <= gapB) {
        visit(q, a, gapA);
        visit(q, b, gapB);
      } else {
        visit(q, b, gapB);
        visit(q, a, gapA);
      }
    };
    visit(q0, 0, this.nodeGap(q0, 0));
  }

  /**
   * Offers every row of leaf r to the k-best lists of the rows of leaf q;
   * returns q's new bound. Rows of q whose own k-th distance is below their
   * distance to r's box are taken two at a time (distancesToRangePair), which
   * shares each load of r's coordinates; every list still receives r's rows in
   * order with the same values, so results equal a one-row-at-a-time pass.
   */
  private leafKnn(q: number, r: number, gap: number, k: number, position: Int32Array, reduced: Float64Array, scratch: Float64Array): number {
    const pts = this.points;
    const rStart = this.nodeStart[r];
    const rEnd = this.nodeEnd[r];
    const rows = rEnd - rStart;
    const passing = this.passing;
    const qEnd = this.nodeEnd[q];
    let bound = 0;
    let count = 0;
    for (let a = this.nodeStart[q]; a < qEnd; a++) {
      const worst = reduced[a * k + k - 1];
      // gap = nodeGap(q, r) ≤ the row's distance to r's box, term by term.
      if (gap < worst && this.boxDistanceBelow(r, a, worst, 1)) passing[count++] = a;
      else if (worst > bound) bound = worst;
    }
    let i = 0;
    for (; i + 1 < count; i += 2) {
      const a = passing[i];
      const b = passing[i + 1];
      this.distancesToRangePair(a, b, rStart, rEnd, scratch);
      let worst = offerRange(a, k, rStart, rows, scratch, 0, position, reduced);
      if (worst > bound) bound = worst;
      worst = offerRange(b, k, rStart, rows, scratch, rows, position, reduced);
      if (worst > bound) bound = worst;
    }
    if (i < count) {
      const a = passing[i];
      this.distancesToRange(pts, a, rStart, rEnd, scratch);
      const worst = offerRange(a, k, rStart, rows, scratch, 0, position, reduced);
      if (worst > bound) bound = worst;
    }
    return bound;
  }

  /**
   * Reduced distances from tree positions a and b to positions [start, end),
   * into out[0 .. m) and out[m .. 2m), m = end − start; each sum adds the
   * coordinates in order, so values equal pointDistance's exactly. The L1 and
   * squared-L2 loops are written out separately on purpose: a metric branch in
   * the innermost loop costs more than the repetition.
   */
  distancesToRangePair(a: number, b: number, start: number, end: number, out: Float64Array): void {
    const d = this.d;
    const pts = this.points;
    const xa = a * d;
    const xb = b * d;
    const m = end - start;
    let p = start;
    if (this.l1) {
      for (; p + 3 < end; p += 4) {
        const y0 = p * d;
        const y1 = y0 + d;
        const y2 = y1 + d;
        const y3 = y2 + d;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        for (let j = 0; j < d; j++) {
          const v = pts[xa + j];
          const w = pts[xb + j];
          const c0 = pts[y0 + j];
          const c1 = pts[y1 + j];
          const c2 = pts[y2 + j];
          const c3 = pts[y3 + j];
          s0 += Math.abs(v - c0);
          s1 += Math.abs(v - c1);
          s2 += Math.abs(v - c2);
          s3 += Math.abs(v - c3);
          u0 += Math.abs(w - c0);
          u1 += Math.abs(w - c1);
          u2 += Math.abs(w - c2);
          u3 += Math.abs(w - c3);
        }
        const o = p - start;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
        out[m + o] = u0;
        out[m + o + 1] = u1;
        out[m + o + 2] = u2;
        out[m + o + 3] = u3;
      }
    } else {
      for (; p + 3 < end; p += 4) {
        const y0 = p * d;
        const y1 = y0 + d;
        const y2 = y1 + d;
        const y3 = y2 + d;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        for (let j = 0; j < d; j++) {
          const v = pts[xa + j];
          const w = pts[xb + j];
          const c0 = pts[y0 + j];
          const c1 = pts[y1 + j];
          const c2 = pts[y2 + j];
          const c3 = pts[y3 + j];
          let t = v - c0;
          s0 += t * t;
          t = v - c1;
          s1 += t * t;
          t = v - c2;
          s2 += t * t;
          t = v - c3;
          s3 += t * t;
          t = w - c0;
          u0 += t * t;
          t = w - c1;
          u1 += t * t;
          t = w - c2;
          u2 += t * t;
          t = w - c3;
          u3 += t * t;
        }
        const o = p - start;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
        out[m + o] = u0;
        out[m + o + 1] = u1;
        out[m + o + 2] = u2;
        out[m + o + 3] = u3;
      }
    }
    for (; p < end; p++) {
      const y = p * d;
      let s = 0;
      let u = 0;
      if (this.l1) {
        for (let j = 0; j < d; j++) {
          const c = pts[y + j];
          s += Math.abs(pts[xa + j] - c);
          u += Math.abs(pts[xb + j] - c);
        }
      } else {
        for (let j = 0; j < d; j++) {
          const c = pts[y + j];
          const t = pts[xa + j] - c;
          s += t * t;
          const w = pts[xb + j] - c;
          u += w * w;
        }
      }
      out[p - start] = s;
      out[m + p - start] = u;
    }
  }
}

/**
 * Offers reduced distances scratch[from .. from + rows) (to tree positions
 * rStart …) to the sorted k-best list of tree position a; returns its new
 * k-th distance. Equal distances keep the order they arrived in.
 */
function offerRange(
  a: number,
  k: number,
  rStart: number,
  rows: number,
  scratch: Float64Array,
  from: number,
  position: Int32Array,
  reduced: Float64Array,
): number {
  const base = a * k;
  const last = base + k - 1;
  let worst = reduced[last];
  for (let i = 0; i < rows; i++) {
    const s = scratch[from + i];
    if (s >= worst) continue;
    let t = last;
    while (t > base && reduced[t - 1] > s) {
      reduced[t] = reduced[t - 1];
      position[t] = position[t - 1];
      t--;
    }
    reduced[t] = s;
    position[t] = rStart + i;
    worst = reduced[last];
  }
  return worst;
}

/**
 * Reorders index[start:end) so that position `nth` holds the row whose
 * coordinate `dim` would be there after sorting, smaller ones before it and
 * larger ones after. Three-way partitioning keeps runs of equal values (for
 * example duplicated rows) linear.
 */
function selectNth(data: Float32Array, d: number, index: Int32Array, start: number, end: number, nth: number, dim: number): void {
  let lo = start;
  let hi = end - 1;
  while (lo < hi) {
    const a = data[index[lo] * d + dim];
    const b = data[index[(lo + hi) >> 1] * d + dim];
    const c = data[index[hi] * d + dim];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = data[index[i] * d + dim];
      if (v < pivot) {
        const t = index[lt];
        index[lt++] = index[i];
        index[i++] = t;
      } else if (v > pivot) {
        const t = index[gt];
        index[gt--] = index[i];
        index[i] = t;
      } else {
        i++;
      }
    }
    if (nth < lt) hi = lt - 1;
    else if (nth > gt) lo = gt + 1;
    else return;
  }
}

/** Growable node storage used while the tree is built. */
class TreeBuilder {
  count = 0;
  start: Int32Array;
  end: Int32Array;
  left: Int32Array;
  right: Int32Array;
  lower: Float32Array;
  upper: Float32Array;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly index: Int32Array,
  ) {
    const capacity = Math.max(16, Math.ceil(n / 4));
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.lower = new Float32Array(capacity * d);
    this.upper = new Float32Array(capacity * d);
  }

  addNode(start: number, end: number): number {
    if (this.count === this.start.length) this.grow();
    const node = this.count++;
    this.start[node] = start;
    this.end[node] = end;
    this.left[node] = -1;
    this.right[node] = -1;
    const { d, data, index, lower, upper } = this;
    const o = node * d;
    lower.fill(Infinity, o, o + d);
    upper.fill(-Infinity, o, o + d);
    for (let p = start; p < end; p++) {
      const r = index[p] * d;
      for (let j = 0; j < d; j++) {
        const v = data[r + j];
        if (v < lower[o + j]) lower[o + j] = v;
        if (v > upper[o + j]) upper[o + j] = v;
      }
    }
    return node;
  }

  widestDimension(node: number): number {
    const o = node * this.d;
    let best = 0;
    let bestSpread = -1;
    for (let j = 0; j < this.d; j++) {
      const spread = this.upper[o + j] - this.lower[o + j];
      if (spread > bestSpread) {
        bestSpread = spread;
        best = j;
      }
    }
    return best;
  }

  private grow(): void {
    const capacity = Math.min(2 * this.start.length, 2 * this.n);
    const resize = <T extends Int32Array | Float32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (length: number) => T)(size);
      b.set(a);
      return b;
    };
    this.start = resize(this.start, capacity);
    this.end = resize(this.end, capacity);
    this.left = resize(this.left, capacity);
    this.right = resize(this.right, capacity);
    this.lower = resize(this.lower, capacity * this.d);
    this.upper = resize(this.upper, capacity * this.d);
  }
}

/**
 * Partitions index[start:end) at the middle of [lo, hi] along `dim`; an empty
 * side receives the single extreme row instead. Returns the first position of
 * the right part.
 */
function slidingMidpointSplit(
  data: Float32Array,
  d: number,
  index: Int32Array,
  start: number,
  end: number,
  dim: number,
  lo: number,
  hi: number,
): number {
  const cut = lo + (hi - lo) / 2;
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if (data[index[i] * d + dim] < cut) {
      i++;
    } else {
      const t = index[i];
      index[i] = index[j];
      index[j--] = t;
    }
  }
  if (i === start) return extremeToEdge(data, d, index, start, end, dim, true);
  if (i === end) return extremeToEdge(data, d, index, start, end, dim, false);
  return i;
}

function extremeToEdge(data: Float32Array, d: number, index: Int32Array, start: number, end: number, dim: number, smallest: boolean): number {
  let best = start;
  for (let p = start + 1; p < end; p++) {
    const v = data[index[p] * d + dim];
    const b = data[index[best] * d + dim];
    if (smallest ? v < b : v > b) best = p;
  }
  const edge = smallest ? start : end - 1;
  const t = index[edge];
  index[edge] = index[best];
  index[best] = t;
  return smallest ? start + 1 : end - 1;
}

function medianSplit(data: Float32Array, d: number, index: Int32Array, start: number, end: number, dim: number): number {
  const mid = (start + end) >> 1;
  selectNth(data, d, index, start, end, mid, dim);
  return mid;
}
