/**
 * Exact minimum spanning tree of the mutual-reachability graph,
 * w(p, q) = max(core(p), core(q), dist(p, q) / α), by dual-tree Borůvka on a
 * kd-tree (McInnes & Healy 2017), without ever forming the n² distances.
 *
 * Each round finds, for every component, its lightest edge to another
 * component:
 *  - seeding: a row's k nearest neighbours in other components give edges at
 *    once; a neighbour p with core(p) ≤ core(q) gives w = core(q), the least
 *    any edge of q can weigh;
 *  - a dual traversal of (query node, reference node) pairs then prunes a pair
 *    when all its rows share one component, or when
 *    max(min core in Q, min core in R, box gap / α) already reaches the
 *    bound of Q = the largest "best edge so far" among Q's components;
 *  - a row is skipped when its own core distance reaches its component's
 *    best edge (no edge of it can be lighter).
 * Ties may be chosen differently by different components; the chosen edges
 * are added through union–find, and every component's lightest edge is safe,
 * so the result is a minimum spanning tree in every case.
 *
 * Everything runs on "reduced" values (squared L2 or L1 sums, see
 * metric-space.ts): `scale` turns a reduced distance into the reduced form of
 * distance / α, and core distances arrive already reduced.
 */
import { throwIfCanceled } from '../../errors.ts';
import type { KdTree } from './kd-tree.ts';
import type { SpanningTree } from './single-linkage.ts';
import { UnionFind } from './union-find.ts';

/**
 * @param coreReduced reduced core distance per tree position
 * @param knnPosition k nearest tree positions per tree position (closest first)
 * @param knnReduced their reduced distances
 * @returns edges between tree positions, weights reduced
 */
export function boruvkaSpanningTree(
  tree: KdTree,
  coreReduced: Float64Array,
  scale: number,
  knnPosition: Int32Array,
  knnReduced: Float64Array,
  k: number,
  shouldStop: (() => boolean) | undefined,
): SpanningTree {
  return new DualTreeBoruvka(tree, coreReduced, scale, knnPosition, knnReduced, k).run(shouldStop);
}

class DualTreeBoruvka {
  private readonly n: number;
  private readonly component: Int32Array;
  private readonly nodeComponent: Int32Array;
  private readonly nodeMinCore: Float64Array;
  private readonly nodeBound: Float64Array;
  private readonly bestWeight: Float64Array;
  private readonly bestFrom: Int32Array;
  private readonly bestTo: Int32Array;

  constructor(
    private readonly tree: KdTree,
    private readonly core: Float64Array,
    private readonly scale: number,
    private readonly knnPosition: Int32Array,
    private readonly knnReduced: Float64Array,
    private readonly k: number,
  ) {
    const n = tree.n;
    this.n = n;
    this.component = new Int32Array(n);
    this.nodeComponent = new Int32Array(tree.nodeCount);
    this.nodeBound = new Float64Array(tree.nodeCount);
    this.bestWeight = new Float64Array(n);
    this.bestFrom = new Int32Array(n);
    this.bestTo = new Int32Array(n);
    this.nodeMinCore = new Float64Array(tree.nodeCount);
    for (let node = tree.nodeCount - 1; node >= 0; node--) {
      if (tree.isLeaf(node)) {
        let m = Infinity;
        for (let p = tree.nodeStart[node]; p < tree.nodeEnd[node]; p++) if (core[p] < m) m = core[p];
        this.nodeMinCore[node] = m;
      } else {
        this.nodeMinCore[node] = Math.min(this.nodeMinCore[tree.leftChild[node]], this.nodeMinCore[tree.rightChild[node]]);
      }
    }
  }

  run(shouldStop: (() => boolean) | undefined): SpanningTree {
    const n = this.n;
    const from = new Int32Array(n - 1);
    const to = new Int32Array(n - 1);
    const weight = new Float64Array(n - 1);
    const sets = new UnionFind(n);
    let edges = 0;
    while (edges < n - 1) {
      throwIfCanceled(shouldStop);
      for (let p = 0; p < n; p++) this.component[p] = sets.find(p);
      this.labelNodes();
      this.bestWeight.fill(Infinity);
      this.seedFromNeighbours();
      this.initialBounds();
      this.traverse(0, 0, 0);

      const before = edges;
      for (let c = 0; c < n; c++) {
        if (this.component[c] !== c || this.bestWeight[c] === Infinity) continue;
        if (sets.union(this.bestFrom[c], this.bestTo[c])) {
          from[edges] = this.bestFrom[c];
          to[edges] = this.bestTo[c];
          weight[edges] = this.bestWeight[c];
          edges++;
        }
      }
      if (edges === before) throw new Error('Borůvka round added no edge; the neighbour search is inconsistent');
    }
    return { from, to, weight };
  }

  /** nodeComponent[node] = the component shared by all its rows, or −1. */
  private labelNodes(): void {
    const { tree, component, nodeComponent } = this;
    for (let node = tree.nodeCount - 1; node >= 0; node--) {
      if (tree.isLeaf(node)) {
        const start = tree.nodeStart[node];
        const end = tree.nodeEnd[node];
        let c = start < end ? component[start] : -1;
        for (let p = start + 1; p < end && c >= 0; p++) if (component[p] !== c) c = -1;
        nodeComponent[node] = c;
      } else {
        const a = nodeComponent[tree.leftChild[node]];
        nodeComponent[node] = a === nodeComponent[tree.rightChild[node]] ? a : -1;
      }
    }
  }

  private seedFromNeighbours(): void {
    const { n, k, core, component, knnPosition, knnReduced, scale, bestWeight } = this;
    for (let q = 0; q < n; q++) {
      const c = component[q];
      const coreQ = core[q];
      if (coreQ >= bestWeight[c]) continue;
      const base = q * k;
      for (let t = 0; t < k; t++) {
        const scaled = knnReduced[base + t] * scale;
        if (scaled >= bestWeight[c]) break;
        const p = knnPosition[base + t];
        if (component[p] === c) continue;
        const w = Math.max(coreQ, core[p], scaled);
        if (w < bestWeight[c]) {
          bestWeight[c] = w;
          this.bestFrom[c] = q;
          this.bestTo[c] = p;
          if (w <= coreQ) break;
        }
      }
    }
  }

  private initialBounds(): void {
    const { tree, nodeBound } = this;
    for (let node = tree.nodeCount - 1; node >= 0; node--) {
      nodeBound[node] =
        tree.isLeaf(node) ? this.leafBound(node) : Math.max(nodeBound[tree.leftChild[node]], nodeBound[tree.rightChild[node]]);
    }
  }

  /**
   * Largest best-edge weight among the components of a leaf's rows that can
   * still improve it (core distance below it): a pair of nodes whose lower
   * bound reaches this cannot help any of them.
   */
  private leafBound(leaf: number): number {
    const { tree, component, bestWeight, core } = this;
    let bound = 0;
    for (let p = tree.nodeStart[leaf]; p < tree.nodeEnd[leaf]; p++) {
      const w = bestWeight[component[p]];
      if (w > bound && core[p] < w) bound = w;
    }
    return bound;
  }

  /**
   * Whether the pair (q, r) may still hold a lighter edge, before looking at
   * their boxes. nodeBound only decreases, so a pair refused here would also
   * be refused by traverse later; its box gap need not be computed.
   */
  private mayImprove(q: number, r: number): boolean {
    const cq = this.nodeComponent[q];
    if (cq >= 0 && cq === this.nodeComponent[r]) return false;
    return Math.max(this.nodeMinCore[q], this.nodeMinCore[r]) < this.nodeBound[q];
  }

  /** `gap`: tree.nodeGap(q, r), which the caller has computed already. */
  private traverse(q: number, r: number, gap: number): void {
    const { tree } = this;
    if (!this.mayImprove(q, r)) return;
    if (Math.max(this.nodeMinCore[q], this.nodeMinCore[r], gap * this.scale) >= this.nodeBound[q]) return;
    const qLeft = tree.leftChild[q];
    const rLeft = tree.leftChild[r];
    if (qLeft < 0 && rLeft < 0) {
      this.leafPair(q, r, gap * this.scale);
      return;
    }
    if (rLeft < 0 || (qLeft >= 0 && tree.nodeEnd[q] - tree.nodeStart[q] >= tree.nodeEnd[r] - tree.nodeStart[r])) {
      const qRight = tree.rightChild[q];
      if (this.mayImprove(qLeft, r)) this.traverse(qLeft, r, tree.nodeGap(qLeft, r));
      if (this.mayImprove(qRight, r)) this.traverse(qRight, r, tree.nodeGap(qRight, r));
      const refreshed = Math.max(this.nodeBound[qLeft], this.nodeBound[qRight]);
      if (refreshed < this.nodeBound[q]) this.nodeBound[q] = refreshed;
      return;
    }
    const rRight = tree.rightChild[r];
    const leftOpen = this.mayImprove(q, rLeft);
    const rightOpen = this.mayImprove(q, rRight);
    if (!rightOpen) {
      if (leftOpen) this.traverse(q, rLeft, tree.nodeGap(q, rLeft));
      return;
    }
    if (!leftOpen) {
      this.traverse(q, rRight, tree.nodeGap(q, rRight));
      return;
    }
    const gapLeft = tree.nodeGap(q, rLeft);
    const gapRight = tree.nodeGap(q, rRight);
    if (gapLeft <= gapRight) {
      this.traverse(q, rLeft, gapLeft);
      this.traverse(q, rRight, gapRight);
    } else {
      this.traverse(q, rRight, gapRight);
      this.traverse(q, rLeft, gapLeft);
    }
  }

  /** `scaledGap`: tree.nodeGap(qLeaf, rLeaf) · scale, a lower bound of every row's scaled box distance. */
  private leafPair(qLeaf: number, rLeaf: number, scaledGap: number): void {
    const { tree, core, component, bestWeight, scale } = this;
    const d = tree.d;
    const points = tree.points;
    const l1 = tree.l1;
    const rStart = tree.nodeStart[rLeaf];
    const rEnd = tree.nodeEnd[rLeaf];
    const qEnd = tree.nodeEnd[qLeaf];
    const cr = this.nodeComponent[rLeaf];
    const minCoreR = this.nodeMinCore[rLeaf];
    let bound = 0;
    for (let q = tree.nodeStart[qLeaf]; q < qEnd; q++) {
      const c = component[q];
      const coreQ = core[q];
      let best = bestWeight[c];
      if (coreQ < best && minCoreR < best && scaledGap < best && c !== cr && tree.boxDistanceBelow(rLeaf, q, best, scale)) {
        const x = q * d;
        for (let p = rStart; p < rEnd; p++) {
          const coreP = core[p];
          if (coreP >= best || component[p] === c) continue;
          // Partial sums only grow, so a pair stops once s · scale reaches best;
          // a finished sum is the same value as the full sum.
          const y = p * d;
          let s = 0;
          let j = 0;
          if (l1) {
            for (; j < d; j++) {
              s += Math.abs(points[x + j] - points[y + j]);
              if (s * scale >= best) break;
            }
          } else {
            for (; j < d; j++) {
              const t = points[x + j] - points[y + j];
              s += t * t;
              if (s * scale >= best) break;
            }
          }
          if (j < d) continue;
          const w = Math.max(coreQ, coreP, s * scale);
          if (w < best) {
            best = w;
            bestWeight[c] = w;
            this.bestFrom[c] = q;
            this.bestTo[c] = p;
          }
        }
      }
      if (best > bound && coreQ < best) bound = best;
    }
    if (bound < this.nodeBound[qLeaf]) this.nodeBound[qLeaf] = bound;
  }
}
