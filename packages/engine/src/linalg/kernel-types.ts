/**
 * The distance kernels the algorithms are written against. Two backends
 * implement them: WebAssembly SIMD (src/wasm/wasm-kernels.ts, the default)
 * and plain TypeScript (ts-kernels.ts, the reference the tests compare with).
 *
 * Geometry. A backend may translate rows by −origin (rounded to float32)
 * before taking dot products, so that ‖x‖² + ‖y‖² − 2x·y does not lose
 * precision to a large common offset; distances are unchanged by the
 * translation. Everything a backend reports (norms, dot products, `geometry`)
 * refers to the translated rows, and code that combines reported values with
 * its own arithmetic (Elkan's bounds) must work in that geometry too.
 */

export interface Kernels {
  readonly name: 'wasm' | 'typescript';
  /**
   * κ such that every dot product of two rows of length d is within
   * κ·Σⱼ|xⱼyⱼ| of the exact dot product of the (translated) rows.
   */
  dotErrorBound(d: number): number;
  /** Memory for everything created through the workspace; call close() when done (in a finally). */
  open(d: number): Workspace;
}

export interface Workspace {
  readonly d: number;
  /** Float64 column means, rows summed in order. */
  columnMeans(data: Float32Array, n: number): Float64Array;
  /** Σᵢ (xᵢⱼ − meanⱼ)² per column, in float64. */
  columnSquaredDeviations(data: Float32Array, n: number, mean: Float64Array): Float64Array;
  /** sums[l·d + j] += xᵢⱼ for every row i with labels[i] = l ≥ 0, in float64. */
  addRowsByLabel(data: Float32Array, n: number, labels: Int32Array, sums: Float64Array): void;
  /** out[i] = ‖xᵢ − centers[labels[i]]‖² by direct float64 differences; 0 where labels[i] < 0. */
  squaredDistancesToCenters(
    data: Float32Array,
    n: number,
    labels: Int32Array,
    centers: Float64Array,
    out: Float64Array,
  ): void;
  /**
   * `data` (n×d) prepared for products. 'always' keeps a translated copy
   * next to the kernels; 'stream' copies row blocks in on demand (as cheap
   * for passes in row order, and no large allocation); 'if-small' keeps a
   * copy when it is small enough and streams otherwise.
   */
  matrix(data: Float32Array, n: number, origin: Float32Array | null, residency: Residency): RowSet;
  /** A small, always-resident set of up to `capacity` rows that is replaced wholesale (centers, candidates, batches). */
  buffer(capacity: number, origin: Float32Array | null): RowBuffer;
  /** k-means++ state for seeding `rows` with candidates loaded into `candidates` (k centers in all). */
  seeding(rows: RowSet, candidates: RowBuffer, k: number): Seeding;
  /** Elkan's per-row bounds for assigning `rows` to the rows of `centers` (see cluster/kmeans-assign.ts). */
  elkanBounds(rows: RowSet, centers: RowBuffer): ElkanBounds;
  /** Invalidates the workspace and everything created through it. */
  close(): void;
}

export type Residency = 'always' | 'stream' | 'if-small';

/**
 * One of `count` shares of distanceSumsByLabel's work: the block rows `ownsBlock` gives it, each
 * with every tile to its right. The shares' sums add up to the whole (in some other order).
 */
export interface SumsPart {
  index: number;
  count: number;
}

/**
 * Block rows are dealt out back and forth (0 1 1 0 0 1 1 0 … for two parts): a block row's work
 * shrinks the further down it is, so this keeps the shares within a block row of each other.
 */
export function ownsBlock(block: number, part: SumsPart | undefined): boolean {
  if (!part || part.count <= 1) return true;
  const round = Math.floor(block / part.count);
  const seat = block % part.count;
  return (round % 2 === 0 ? seat : part.count - 1 - seat) === part.index;
}

export interface RowSet {
  readonly count: number;
  /** Squared norms of the translated rows, float64. */
  readonly norms: Float64Array;
  /** out[r·other.count + c] = row(r0 + r) · other(c) for r < rows. */
  dots(r0: number, rows: number, other: RowBuffer, out: Float64Array): void;
  /**
   * For each row r0 + r: labels[r0 + r] = the c minimising
   * other.norms[c] − 2·row·other(c), ties to the lowest c, and, when values
   * is given, values[r0 + r] = that minimum.
   */
  nearest(r0: number, rows: number, other: RowBuffer, labels: Int32Array, values: Float64Array | null): void;
  /** out[t] = row(i) · other(ids[t]) for t < count. */
  dotsGathered(i: number, other: RowBuffer, ids: Int32Array, count: number, out: Float64Array): void;
  /**
   * sums[i·nLabels + l] = Σ over j ≠ i with codes[j] = l of ‖xᵢ − xⱼ‖, for all
   * rows (each pair computed once). Needs a resident set; polls shouldStop.
   */
  distanceSumsByLabel(codes: Int32Array, nLabels: number, shouldStop?: () => boolean, part?: SumsPart): Float64Array;
  /** The same for rows i0..i0+rows only, into out[(i − i0)·nLabels + l]. */
  distanceSumsByLabelForRows(i0: number, rows: number, codes: Int32Array, nLabels: number, out: Float64Array): void;
}

export interface RowBuffer extends RowSet {
  readonly capacity: number;
  /** The current rows as the kernels see them (translated), count×d. */
  readonly geometry: Float32Array;
  /** Replaces the content with the first `count` rows of `values` (row-major, original coordinates). */
  set(values: Float32Array, count: number): void;
}

/** How much a computed squared distance may be off: rowError·‖x‖·maxNorm + normError·(‖x‖² + maxNorm²). */
export interface ElkanMargins {
  rowError: number;
  normError: number;
  /** Largest norm among the centers (translated). */
  maxNorm: number;
}

/**
 * The per-row half of Elkan's algorithm, kept next to the kernels: an upper
 * bound per row and a float32 lower bound per (row, center), both on exact
 * distances in the kernels' geometry. A center is skipped only when the bounds
 * show its squared distance exceeds the own center's by more than twice the
 * margin, so labels always equal those of an exhaustive search with the same
 * kernels. Labels are written to the caller's array.
 */
export interface ElkanBounds {
  /** Computes every pair against the centers loaded now: labels and all bounds. */
  start(labels: Int32Array, margins: ElkanMargins): void;
  /**
   * The centers were reloaded after moving by shift[c] (an upper bound, in the
   * kernels' geometry): loosens the bounds, then recomputes the pairs they no
   * longer rule out. halfDist (k×k) and nearestHalf (k) are lower bounds on
   * half the distances between the new centers. Returns how many labels changed.
   */
  step(
    labels: Int32Array,
    shift: Float64Array,
    halfDist: Float64Array,
    nearestHalf: Float64Array,
    margins: ElkanMargins,
  ): number;
}

/**
 * One k-means++ run's per-row state, kept next to the kernels: each row's
 * squared distance to its nearest chosen center and that center's index.
 * The driver (cluster/kmeans-init.ts) samples candidates and loads them into
 * the candidate buffer before each call.
 */
export interface Seeding {
  /** The first center is candidate row 0; returns the potential (sum of squared distances). */
  start(): number;
  /** Squared distance from each row to its nearest chosen center; valid until the next call on the workspace. */
  closest(): Float64Array;
  /**
   * pots[t] = the potential left if loaded candidate t were chosen next.
   * candToCenter[t·k + e] is the squared distance from candidate t to chosen
   * center e; pairs it proves irrelevant (≥ 4× a row's closest) are skipped.
   */
  evaluate(candToCenter: Float64Array, pots: Float64Array): void;
  /** Candidate `best` of the last evaluate becomes chosen center number `center`. */
  accept(best: number, center: number): void;
}
