/**
 * Exact core distances and mutual-reachability minimum spanning tree by
 * direct distance computation: O(n²·d) time, O(n·k) memory. Used in high
 * dimension where kd-tree boxes stop pruning, for inputs small enough that
 * n² distances are affordable.
 *
 * Squared L2 distances come from ‖x‖² + ‖y‖² − 2x·y with float64 sums over a
 * block of rows at a time (dotBlock), L1 sums from direct differences.
 * The tree is Prim's algorithm on the implicit complete graph, one row of
 * distances per added vertex.
 */
import { throwIfCanceled } from '../../errors.ts';
import { dotBlock, rowSquaredNorms } from '../../linalg/dot-block.ts';
import { reducedDistance, type MetricSpace } from './metric-space.ts';
import type { SpanningTree } from './single-linkage.ts';

const ROW_BLOCK = 32;
const COLUMN_BLOCK = 512;

/** Writes reduced distances from row `row` to rows [col0, col0 + count) into out[0 .. count). */
type RowDistances = (row: number, col0: number, count: number, out: Float64Array) => void;

function rowDistances(space: MetricSpace): RowDistances {
  const { points, d, l1 } = space;
  if (l1) {
    return (row, col0, count, out) => {
      for (let c = 0; c < count; c++) out[c] = reducedDistance(points, row, points, col0 + c, d, true);
    };
  }
  const norms = rowSquaredNorms(points, space.n, d);
  return (row, col0, count, out) => {
    dotBlock(points, row, 1, points, col0, count, d, out);
    const x = norms[row];
    for (let c = 0; c < count; c++) out[c] = col0 + c === row ? 0 : Math.max(0, x + norms[col0 + c] - 2 * out[c]);
  };
}

/** The k nearest rows of every row (itself included), closest first, as reduced distances. */
export function bruteForceKnn(space: MetricSpace, k: number, shouldStop: (() => boolean) | undefined): Float64Array {
  const { n, d, points, l1 } = space;
  const reduced = new Float64Array(n * k).fill(Infinity);
  const norms = l1 ? null : rowSquaredNorms(points, n, d);
  const block = new Float64Array(ROW_BLOCK * COLUMN_BLOCK);
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    throwIfCanceled(shouldStop);
    const rows = Math.min(ROW_BLOCK, n - r0);
    for (let c0 = 0; c0 < n; c0 += COLUMN_BLOCK) {
      const cols = Math.min(COLUMN_BLOCK, n - c0);
      if (norms === null) {
        for (let i = 0; i < rows; i++) {
          for (let c = 0; c < cols; c++) block[i * cols + c] = reducedDistance(points, r0 + i, points, c0 + c, d, true);
        }
      } else {
        dotBlock(points, r0, rows, points, c0, cols, d, block);
      }
      for (let i = 0; i < rows; i++) {
        const row = r0 + i;
        const base = row * k;
        const last = base + k - 1;
        for (let c = 0; c < cols; c++) {
          const col = c0 + c;
          const v = block[i * cols + c];
          const dist = norms === null ? v : col === row ? 0 : Math.max(0, norms[row] + norms[col] - 2 * v);
          if (dist >= reduced[last]) continue;
          let s = last;
          while (s > base && reduced[s - 1] > dist) {
            reduced[s] = reduced[s - 1];
            s--;
          }
          reduced[s] = dist;
        }
      }
    }
  }
  return reduced;
}

/** Prim's minimum spanning tree of max(core(a), core(b), reduced(a, b)·scale); weights stay reduced. */
export function bruteForcePrim(
  space: MetricSpace,
  coreReduced: Float64Array,
  scale: number,
  shouldStop: (() => boolean) | undefined,
): SpanningTree {
  const n = space.n;
  const distancesFrom = rowDistances(space);
  const key = new Float64Array(n).fill(Infinity);
  const link = new Int32Array(n).fill(-1);
  const inTree = new Uint8Array(n);
  const row = new Float64Array(COLUMN_BLOCK);
  const tree: SpanningTree = { from: new Int32Array(n - 1), to: new Int32Array(n - 1), weight: new Float64Array(n - 1) };
  let current = 0;
  inTree[0] = 1;
  for (let e = 0; e < n - 1; e++) {
    if ((e & 255) === 0) throwIfCanceled(shouldStop);
    const coreCurrent = coreReduced[current];
    for (let c0 = 0; c0 < n; c0 += COLUMN_BLOCK) {
      const cols = Math.min(COLUMN_BLOCK, n - c0);
      distancesFrom(current, c0, cols, row);
      for (let c = 0; c < cols; c++) {
        const v = c0 + c;
        if (inTree[v]) continue;
        const w = Math.max(coreCurrent, coreReduced[v], row[c] * scale);
        if (w < key[v]) {
          key[v] = w;
          link[v] = current;
        }
      }
    }
    let next = -1;
    let best = Infinity;
    for (let v = 0; v < n; v++) {
      if (!inTree[v] && (next < 0 || key[v] < best)) {
        best = key[v];
        next = v;
      }
    }
    tree.from[e] = link[next];
    tree.to[e] = next;
    tree.weight[e] = best;
    inTree[next] = 1;
    current = next;
  }
  return tree;
}
