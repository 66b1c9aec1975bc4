/**
 * Nearest-neighbour-chain agglomeration (Müllner 2011, §3.3) for the
 * reducible linkages ward, complete and average, on the float64 distance
 * matrix (upper triangle) updated in place with the Lance–Williams formulas.
 *
 * It follows scipy's `nn_chain` step for step, because scikit-learn's
 * unstructured `AgglomerativeClustering` is scipy's `linkage`: the chain
 * restarts at the lowest live cluster, the scan visits clusters in index
 * order and keeps the first strict minimum, the previous chain element wins
 * ties (which is what guarantees termination), the merged cluster takes the
 * higher slot, and the update formulas are evaluated in the same operation
 * order. Given the same input distances the merges, and so every tie
 * decision, are the same as scipy's.
 *
 * Storage: float64 (8 bytes per pair, 1.6 GB at n = 20 000, half of scipy's
 * peak, which holds pdist's matrix plus nn_chain's copy), tiled (see
 * pairwise.ts). Float32 would halve that again but round every Lance–Williams
 * update to 24 bits, so near-equal candidate merges could be decided
 * differently from the reference.
 *
 * The running time is dominated by reading D(i, x) for i < x, which runs down
 * a column: one cache line per entry. Caching per-cluster minima or keeping a
 * transposed float32 copy only moves those misses into the update step
 * (which today finds the columns of the merged pair already cached by the
 * scans that chose them), so the plain scipy order is kept.
 */
import { throwIfCanceled } from '../../errors.ts';
import type { MergeList } from './dendrogram.ts';
import { TILE_MASK, TILE_SHIFT, tiledIndex } from './pairwise.ts';
import type { TiledDistances } from './pairwise.ts';

export type ChainLinkage = 'ward' | 'complete' | 'average';

const CANCEL_POLL_MERGES = 64;

// Local copies: the loader may compile imports to property reads on a module
// object, re-done on every use, which made the scan loops 3–4× slower.
const SHIFT = TILE_SHIFT;
const MASK = TILE_MASK;

export function nnChain(
  matrix: TiledDistances,
  n: number,
  linkage: ChainLinkage,
  shouldStop: (() => boolean) | undefined,
): MergeList {
  const { values: dist, tileBase, tiles } = matrix;
  // Merge k joins slots a < b; b keeps the merged cluster, as in scipy.
  const merges: MergeList = {
    a: new Int32Array(n - 1),
    b: new Int32Array(n - 1),
    distance: new Float64Array(n - 1),
  };
  const size = new Int32Array(n).fill(1);
  // Live clusters as a sorted doubly linked list, so scans skip dead slots
  // without touching them while keeping scipy's index order.
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  let head = 0;
  const code = LINKAGE_CODE[linkage];
  const chain = new Int32Array(n);
  let chainLength = 0;

  for (let k = 0; k < n - 1; k++) {
    if (k % CANCEL_POLL_MERGES === 0) throwIfCanceled(shouldStop);
    if (chainLength === 0) {
      chain[0] = head;
      chainLength = 1;
    }
    let x: number;
    let y = 0;
    let currentMin: number;
    for (;;) {
      x = chain[chainLength - 1];
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        currentMin = dist[x < y ? tiledIndex(matrix, x, y) : tiledIndex(matrix, y, x)];
      } else {
        currentMin = Infinity;
      }
      // Entries (i, x) for i < x run down column x, those for i > x along
      // row x; the tile base only changes every TILE indices.
      const xTile = x >> SHIFT;
      const xOffset = x & MASK;
      let tile = -1;
      let base = 0;
      let i = head;
      for (; i < x; i = next[i]) {
        const t = i >> SHIFT;
        if (t !== tile) {
          tile = t;
          base = tileBase[t * tiles + xTile] + xOffset;
        }
        const v = dist[base + ((i & MASK) << SHIFT)];
        if (v < currentMin) {
          currentMin = v;
          y = i;
        }
      }
      const rowTiles = xTile * tiles;
      const rowOffset = xOffset << SHIFT;
      tile = -1;
      for (i = next[x]; i !== -1; i = next[i]) {
        const t = i >> SHIFT;
        if (t !== tile) {
          tile = t;
          base = tileBase[rowTiles + t] + rowOffset;
        }
        const v = dist[base + (i & MASK)];
        if (v < currentMin) {
          currentMin = v;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x];
    const ny = size[y];
    merges.a[k] = x;
    merges.b[k] = y;
    merges.distance[k] = currentMin;
    size[x] = 0;
    size[y] = nx + ny;
    if (prev[x] === -1) head = next[x];
    else next[prev[x]] = next[x];
    if (next[x] !== -1) prev[next[x]] = prev[x];
    mergeInto(matrix, head, next, size, x, y, currentMin, nx, ny, code);
  }
  return merges;
}

const LINKAGE_CODE = { ward: 0, complete: 1, average: 2 } as const;

/**
 * D(i, y) ← LW(D(i, x), D(i, y)) for every live i ≠ y (x < y, x already
 * unlinked), each formula in scipy's operation order so that the stored
 * distances stay bit-identical to scipy's.
 */
function mergeInto(
  matrix: TiledDistances,
  head: number,
  next: Int32Array,
  size: Int32Array,
  x: number,
  y: number,
  dxy: number,
  nx: number,
  ny: number,
  linkage: 0 | 1 | 2,
): void {
  const { values: dist, tileBase, tiles } = matrix;
  const xTile = x >> SHIFT;
  const yTile = y >> SHIFT;
  const xOffset = x & MASK;
  const yOffset = y & MASK;
  const xRow = xTile * tiles;
  const yRow = yTile * tiles;
  // Tile bases of column x / row x / column y / row y for i's tile, refreshed
  // when i crosses into the next tile (entries of the lower tile triangle are
  // -1 but never used: i < x selects the column, i > x the row).
  let tile = -1;
  let colX = 0;
  let rowX = 0;
  let colY = 0;
  let rowY = 0;
  for (let i = head; i !== -1; i = next[i]) {
    if (i === y) continue;
    const iTile = i >> SHIFT;
    if (iTile !== tile) {
      tile = iTile;
      colX = tileBase[iTile * tiles + xTile] + xOffset;
      rowX = tileBase[xRow + iTile] + (xOffset << SHIFT);
      colY = tileBase[iTile * tiles + yTile] + yOffset;
      rowY = tileBase[yRow + iTile] + (yOffset << SHIFT);
    }
    const iOffset = i & MASK;
    const ix = i < x ? colX + (iOffset << SHIFT) : rowX + iOffset;
    const iy = i < y ? colY + (iOffset << SHIFT) : rowY + iOffset;
    const dxi = dist[ix];
    const dyi = dist[iy];
    if (linkage === 0) {
      const ni = size[i];
      const t = 1.0 / (nx + ny + ni);
      dist[iy] = Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
    } else if (linkage === 1) {
      dist[iy] = dxi > dyi ? dxi : dyi;
    } else {
      dist[iy] = (nx * dxi + ny * dyi) / (nx + ny);
    }
  }
}
