/**
 * Approximate k-nearest neighbours for many high-dimensional rows, in the
 * spirit of an inverted-file index (Jégou et al. 2011) over a PCA projection:
 *
 *  1. rows are projected onto their leading `PROJECTION_DIMS` principal
 *     directions (projection.ts);
 *  2. k-means on a sample of projected rows gives ≈ √n cells, and every row is
 *     filed under its nearest cell centre;
 *  3. a query's candidates are the rows of the `probes` cells nearest to it
 *     (for the rows of the index itself: nearest to their own cell's centre,
 *     so that a whole cell shares one candidate block); the `candidates` of
 *     them closest in the projection are re-ranked by exact distance.
 *
 * Distances returned are the full-dimensional ones (to float64 rounding) for
 * the neighbours found, and a row always finds itself at distance 0; the
 * approximation is only in which other rows are found. Rows whose true
 * neighbours sit in cells that are not probed, or rank below the candidate
 * cut in the projection, are missed, so core distances come out equal to or
 * larger than the exact ones.
 */
import type { Rng } from '../../rng.ts';
import { samplePermutationPrefix } from '../../rng.ts';
import { dotBlock, dotGathered, rowSquaredNorms } from '../../linalg/dot-block.ts';
import { kmeans } from '../kmeans.ts';
import { reducedDistance } from './metric-space.ts';
import { principalProjection, projectRows, type Projection } from './projection.ts';

const PROJECTION_DIMS = 32;
/** Cells probed per query; with ≈ √n cells that is ≈ 6√n candidate rows. */
export const DEFAULT_PROBES = 6;
/** Candidates re-ranked by exact distance per row, beyond the k kept. */
export const CANDIDATE_MARGIN = 24;
const TRAINING_ROWS_PER_CELL = 32;
const QUERY_BLOCK = 64;
/**
 * Most candidate rows one query looks at. Probed cells are taken nearest
 * first, so the cap only bites on very unbalanced cells (typically masses of
 * identical rows, where the first rows already hold the answer) and keeps
 * their cost linear.
 */
const MAX_REFERENCE_ROWS = 4096;

export interface IvfOptions {
  /** Cells probed per query. */
  probes: number;
}

export interface NeighbourLists {
  /** k per row, closest first; −1 where fewer than k rows exist. */
  index: Int32Array;
  /** Matching reduced distances (squared L2 or L1 sums). */
  reduced: Float64Array;
}

export class IvfIndex {
  readonly projection: Projection | null;
  readonly p: number;
  readonly projected: Float32Array;
  readonly projectedNorms: Float64Array;
  readonly cellCount: number;
  readonly centres: Float32Array;
  readonly centreNorms: Float64Array;
  /** Rows of cell c are cellRows[cellStart[c] .. cellStart[c + 1]). */
  readonly cellStart: Int32Array;
  readonly cellRows: Int32Array;
  /** Squared L2 norms of the indexed rows (unused for L1). */
  readonly rowNorms: Float64Array;

  constructor(
    readonly points: Float32Array,
    readonly n: number,
    readonly d: number,
    readonly l1: boolean,
    rng: Rng,
    readonly options: IvfOptions,
  ) {
    if (d > PROJECTION_DIMS) {
      this.projection = principalProjection(points, n, d, PROJECTION_DIMS, rng);
      this.p = this.projection.p;
      this.projected = projectRows(points, n, d, this.projection);
    } else {
      this.projection = null;
      this.p = d;
      this.projected = points;
    }
    const p = this.p;
    this.projectedNorms = rowSquaredNorms(this.projected, n, p);
    this.rowNorms = l1 ? new Float64Array(0) : rowSquaredNorms(points, n, d);

    const cells = Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));
    const training = samplePermutationPrefix(rng, n, Math.min(n, cells * TRAINING_ROWS_PER_CELL));
    const sample = new Float32Array(training.length * p);
    for (let i = 0; i < training.length; i++) sample.set(this.projected.subarray(training[i] * p, training[i] * p + p), i * p);
    const fit = kmeans(sample, training.length, p, {
      nClusters: Math.min(cells, training.length),
      nInit: 1,
      maxIter: 10,
      randomState: rng.nextInt(2147483647),
    });
    this.cellCount = fit.centroids.length / p;
    this.centres = fit.centroids;
    this.centreNorms = rowSquaredNorms(this.centres, this.cellCount, p);

    const cellOfRow = new Int32Array(n);
    const nearest = new Int32Array(1);
    const scratch = new Float64Array(QUERY_BLOCK * this.cellCount);
    for (let r0 = 0; r0 < n; r0 += QUERY_BLOCK) {
      const rows = Math.min(QUERY_BLOCK, n - r0);
      dotBlock(this.projected, r0, rows, this.centres, 0, this.cellCount, p, scratch);
      for (let i = 0; i < rows; i++) {
        this.nearestCells(scratch, i * this.cellCount, this.projectedNorms[r0 + i], 1, nearest);
        cellOfRow[r0 + i] = nearest[0];
      }
    }
    const grouped = groupByCell(cellOfRow, this.cellCount);
    this.cellStart = grouped.start;
    this.cellRows = grouped.rows;
  }

  /**
   * Approximate k nearest rows of every indexed row (the row itself
   * included, at distance 0), re-ranking `candidates` per row.
   */
  allKnn(k: number, candidates: number, shouldCheck: () => void): NeighbourLists {
    const rows = { source: this.points, projected: this.projected, projectedNorms: this.projectedNorms, norms: this.rowNorms, indexed: true };
    return this.searchByCell(this.cellStart, this.cellRows, rows, this.n, k, candidates, shouldCheck);
  }

  /**
   * Approximate k nearest indexed rows of each of the m query rows (same
   * space as the index). Queries are grouped by their nearest cell and share
   * that cell's candidate block, as indexed rows do.
   */
  query(queries: Float32Array, m: number, k: number, candidates: number, shouldCheck: () => void): NeighbourLists {
    const { d, p, cellCount } = this;
    const projected = this.projection === null ? queries : projectRows(queries, m, d, this.projection);
    const projectedNorms = rowSquaredNorms(projected, m, p);
    const home = new Int32Array(m);
    const nearest = new Int32Array(1);
    const dots = new Float64Array(QUERY_BLOCK * cellCount);
    for (let q0 = 0; q0 < m; q0 += QUERY_BLOCK) {
      const rows = Math.min(QUERY_BLOCK, m - q0);
      dotBlock(projected, q0, rows, this.centres, 0, cellCount, p, dots);
      for (let i = 0; i < rows; i++) {
        this.nearestCells(dots, i * cellCount, projectedNorms[q0 + i], 1, nearest);
        home[q0 + i] = nearest[0];
      }
    }
    const { start, rows: byCell } = groupByCell(home, cellCount);
    const rows = { source: queries, projected, projectedNorms, norms: this.l1 ? projectedNorms : rowSquaredNorms(queries, m, d), indexed: false };
    return this.searchByCell(start, byCell, rows, m, k, candidates, shouldCheck);
  }

  private searchByCell(
    cellStart: Int32Array,
    cellRows: Int32Array,
    rows: QueryRows,
    m: number,
    k: number,
    candidates: number,
    shouldCheck: () => void,
  ): NeighbourLists {
    const { p, cellCount } = this;
    const index = new Int32Array(m * k).fill(-1);
    const reduced = new Float64Array(m * k).fill(Infinity);
    const centreDots = new Float64Array(cellCount * cellCount);
    dotBlock(this.centres, 0, cellCount, this.centres, 0, cellCount, p, centreDots);
    const probes = Math.min(this.options.probes, cellCount);
    const probeCells = new Int32Array(probes);
    const searcher = new CandidateSearch(this, k, candidates);
    for (let cell = 0; cell < cellCount; cell++) {
      const start = cellStart[cell];
      const end = cellStart[cell + 1];
      if (start === end) continue;
      shouldCheck();
      this.nearestCells(centreDots, cell * cellCount, this.centreNorms[cell], probes, probeCells);
      searcher.gatherReference(probeCells, probes);
      for (let q0 = start; q0 < end; q0 += QUERY_BLOCK) {
        searcher.search(cellRows.subarray(q0, Math.min(end, q0 + QUERY_BLOCK)), rows, index, reduced);
      }
    }
    return { index, reduced };
  }

  /** The `count` cells whose centres are nearest, given dot products with all centres at `offset`. */
  private nearestCells(dots: Float64Array, offset: number, norm: number, count: number, out: Int32Array): void {
    const best = new Float64Array(count).fill(Infinity);
    for (let c = 0; c < this.cellCount; c++) {
      const dist = norm + this.centreNorms[c] - 2 * dots[offset + c];
      if (dist >= best[count - 1]) continue;
      let t = count - 1;
      while (t > 0 && best[t - 1] > dist) {
        best[t] = best[t - 1];
        out[t] = out[t - 1];
        t--;
      }
      best[t] = dist;
      out[t] = c;
    }
  }
}

/** Candidate ranking in the projection, then exact re-ranking, for one block of reference cells at a time. */
class CandidateSearch {
  private reference = new Int32Array(0);
  private referenceCount = 0;
  private referenceRows = new Float32Array(0);
  private referenceNorms = new Float64Array(0);
  private products = new Float64Array(0);
  private readonly queryRows: Float32Array;
  private readonly order: Int32Array;
  private readonly exact: Float64Array;
  private candidateOrder = new Int32Array(0);
  private candidateDistance = new Float64Array(0);

  constructor(
    private readonly ivf: IvfIndex,
    private readonly k: number,
    private readonly candidates: number,
  ) {
    this.queryRows = new Float32Array(QUERY_BLOCK * ivf.p);
    this.order = new Int32Array(candidates);
    this.exact = new Float64Array(candidates);
  }

  gatherReference(cells: Int32Array, count: number): void {
    const { ivf } = this;
    const p = ivf.p;
    let total = 0;
    for (let t = 0; t < count; t++) total += ivf.cellStart[cells[t] + 1] - ivf.cellStart[cells[t]];
    total = Math.min(total, MAX_REFERENCE_ROWS);
    if (this.reference.length < total) {
      this.reference = new Int32Array(total);
      this.referenceRows = new Float32Array(total * p);
      this.referenceNorms = new Float64Array(total);
      this.products = new Float64Array(QUERY_BLOCK * total);
      this.candidateOrder = new Int32Array(total);
      this.candidateDistance = new Float64Array(total);
    }
    let at = 0;
    for (let t = 0; t < count; t++) {
      const end = Math.min(ivf.cellStart[cells[t] + 1], ivf.cellStart[cells[t]] + total - at);
      for (let i = ivf.cellStart[cells[t]]; i < end; i++) {
        const row = ivf.cellRows[i];
        this.reference[at] = row;
        this.referenceRows.set(ivf.projected.subarray(row * p, row * p + p), at * p);
        this.referenceNorms[at] = ivf.projectedNorms[row];
        at++;
      }
    }
    this.referenceCount = total;
  }

  search(queries: Int32Array, rows: QueryRows, index: Int32Array, reduced: Float64Array): void {
    const { referenceCount } = this;
    const p = this.ivf.p;
    for (let i = 0; i < queries.length; i++) {
      this.queryRows.set(rows.projected.subarray(queries[i] * p, queries[i] * p + p), i * p);
    }
    dotBlock(this.queryRows, 0, queries.length, this.referenceRows, 0, referenceCount, p, this.products);
    for (let i = 0; i < queries.length; i++) {
      const q = queries[i];
      if (rows.indexed) {
        // A row is its own nearest neighbour even when a capped candidate block leaves it out.
        index[q * this.k] = q;
        reduced[q * this.k] = 0;
      }
      const self = rows.indexed ? q : -1;
      this.rank(this.products, i * referenceCount, rows.projectedNorms[q], rows.source, rows.norms[q], q, self, index, reduced, q * this.k);
    }
  }

  /**
   * Keeps the `candidates` references nearest in the projection, then the k
   * nearest by full distance (squared L2 as ‖x‖² + ‖y‖² − 2x·y with float64
   * sums, or L1 sums). `self` (an indexed row already entered at distance 0,
   * or −1) is not entered twice.
   */
  private rank(
    products: Float64Array,
    offset: number,
    projectedNorm: number,
    queries: Float32Array,
    queryNorm: number,
    q: number,
    self: number,
    index: Int32Array,
    reduced: Float64Array,
    out: number,
  ): void {
    const { ivf, referenceCount, candidateOrder, candidateDistance, order, exact } = this;
    for (let r = 0; r < referenceCount; r++) {
      candidateOrder[r] = r;
      candidateDistance[r] = projectedNorm + this.referenceNorms[r] - 2 * products[offset + r];
    }
    const kept = Math.min(this.candidates, referenceCount);
    if (kept < referenceCount) selectSmallest(candidateOrder, candidateDistance, referenceCount, kept);
    for (let t = 0; t < kept; t++) order[t] = this.reference[candidateOrder[t]];
    if (ivf.l1) {
      for (let t = 0; t < kept; t++) exact[t] = reducedDistance(queries, q, ivf.points, order[t], ivf.d, true);
    } else {
      dotGathered(queries, q, ivf.points, order, kept, ivf.d, exact);
      for (let t = 0; t < kept; t++) exact[t] = Math.max(0, queryNorm + ivf.rowNorms[order[t]] - 2 * exact[t]);
    }
    const k = this.k;
    const last = out + k - 1;
    for (let t = 0; t < kept; t++) {
      const dist = exact[t];
      if (dist >= reduced[last] || order[t] === self) continue;
      let s = last;
      while (s > out && reduced[s - 1] > dist) {
        reduced[s] = reduced[s - 1];
        index[s] = index[s - 1];
        s--;
      }
      reduced[s] = dist;
      index[s] = order[t];
    }
  }
}

/** Moves the `count` entries of order[0:length) with the smallest key[order[i]] to the front (unordered). */
function selectSmallest(order: Int32Array, key: Float64Array, length: number, count: number): void {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const pivot = key[order[(lo + hi) >> 1]];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key[order[i]] < pivot) i++;
      while (key[order[j]] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (count - 1 <= j) hi = j;
    else if (count - 1 >= i) lo = i;
    else return;
  }
}

/** Rows searched for neighbours: the indexed rows themselves, or external query rows. */
interface QueryRows {
  source: Float32Array;
  projected: Float32Array;
  projectedNorms: Float64Array;
  /** Squared L2 norms of `source` (unused for L1). */
  norms: Float64Array;
  /** Whether the rows are the indexed ones (each then finds itself at distance 0). */
  indexed: boolean;
}

/** Rows of each cell as a compressed list: cell c holds rows[start[c] .. start[c + 1]). */
function groupByCell(cellOfRow: Int32Array, cellCount: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(cellCount + 1);
  for (let i = 0; i < cellOfRow.length; i++) start[cellOfRow[i] + 1]++;
  for (let c = 0; c < cellCount; c++) start[c + 1] += start[c];
  const rows = new Int32Array(cellOfRow.length);
  const fill = start.slice(0, cellCount);
  for (let i = 0; i < cellOfRow.length; i++) rows[fill[cellOfRow[i]]++] = i;
  return { start, rows };
}
