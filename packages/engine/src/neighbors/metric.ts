/**
 * Distance metrics for neighbour search, named as scikit-learn names them.
 *
 * Searches work on "reduced" distances (rdist), which order pairs exactly as
 * the true distances do but skip the final root: squared distance for
 * euclidean, Σ|Δ|^p for minkowski. Cosine distance is searched as half the
 * squared euclidean distance between unit-normalised rows (1 − cos θ =
 * ‖x̂ − ŷ‖² / 2), which lets the kd-tree serve it too.
 *
 * Row distances (kd-tree and brute-force code) sum their per-coordinate
 * terms in column order, in float64, like scipy's cdist and scikit-learn's
 * tree code, so they equal theirs bit for bit on the same float64 inputs;
 * only the brute-force euclidean and cosine tiles use the norm expansion.
 */

export type NeighborMetric = 'euclidean' | 'l2' | 'manhattan' | 'cityblock' | 'l1' | 'chebyshev' | 'minkowski' | 'cosine';

export const METRIC_NAMES: readonly NeighborMetric[] = [
  'euclidean',
  'l2',
  'manhattan',
  'cityblock',
  'l1',
  'chebyshev',
  'minkowski',
  'cosine',
];

/** How rows are compared; the numeric kinds keep the hot loops monomorphic. */
export const KIND_L2 = 0;
export const KIND_L1 = 1;
export const KIND_LINF = 2;
export const KIND_LP = 3;
/** Searched as KIND_L2 on normalised rows; only the rdist ↔ distance conversion differs. */
export const KIND_COSINE = 4;

export interface ResolvedMetric {
  kind: number;
  /** The Minkowski power (2 for euclidean and cosine, 1 for manhattan, ∞ for chebyshev). */
  p: number;
  /** Canonical name for messages. */
  name: string;
}

/**
 * Validates `metric` / `p` as scikit-learn's NearestNeighbors reads them:
 * `p` matters only for 'minkowski', where p = 1, 2, ∞ mean manhattan,
 * euclidean and chebyshev. p < 1 is rejected: it is not a metric, and the
 * trees' pruning would be wrong for it.
 */
export function resolveMetric(metric: string | undefined | null, p: number | undefined | null): ResolvedMetric {
  const name = metric ?? 'euclidean';
  if (!METRIC_NAMES.includes(name as NeighborMetric)) {
    throw new RangeError(`metric must be one of ${METRIC_NAMES.map((m) => `'${m}'`).join(', ')}, got '${String(name)}'`);
  }
  switch (name) {
    case 'euclidean':
    case 'l2':
      return { kind: KIND_L2, p: 2, name: 'euclidean' };
    case 'manhattan':
    case 'cityblock':
    case 'l1':
      return { kind: KIND_L1, p: 1, name: 'manhattan' };
    case 'chebyshev':
      return { kind: KIND_LINF, p: Infinity, name: 'chebyshev' };
    case 'cosine':
      return { kind: KIND_COSINE, p: 2, name: 'cosine' };
    default: {
      const power = p ?? 2;
      if (typeof power !== 'number' || !(power >= 1)) {
        throw new RangeError(`p must be a number ≥ 1 (or Infinity) for metric 'minkowski', got ${String(power)}`);
      }
      if (power === 1) return { kind: KIND_L1, p: 1, name: 'manhattan' };
      if (power === 2) return { kind: KIND_L2, p: 2, name: 'euclidean' };
      if (power === Infinity) return { kind: KIND_LINF, p: Infinity, name: 'chebyshev' };
      return { kind: KIND_LP, p: power, name: `minkowski (p=${power})` };
    }
  }
}

/** The kind the search loops run (cosine runs as euclidean on normalised rows). */
export function searchKind(metric: ResolvedMetric): number {
  return metric.kind === KIND_COSINE ? KIND_L2 : metric.kind;
}

export function distToRdist(metric: ResolvedMetric, dist: number): number {
  switch (metric.kind) {
    case KIND_L2:
      return dist * dist;
    case KIND_COSINE:
      return 2 * dist;
    case KIND_LP:
      return Math.pow(dist, metric.p);
    default:
      return dist;
  }
}

export function rdistToDist(metric: ResolvedMetric, rdist: number): number {
  switch (metric.kind) {
    case KIND_L2:
      return Math.sqrt(rdist);
    case KIND_COSINE:
      return rdist / 2;
    case KIND_LP:
      return Math.pow(rdist, 1 / metric.p);
    default:
      return rdist;
  }
}

/**
 * Rows as the searches read them: float64 (exact copies of the float32
 * values), unit-normalised for cosine. Cosine is undefined for an all-zero
 * row, which is rejected rather than given an arbitrary direction.
 */
export function prepareRows(data: Float32Array, n: number, d: number, metric: ResolvedMetric, what = 'data'): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) out[i] = data[i];
  if (metric.kind === KIND_COSINE) normalizeRows(out, n, d, what);
  return out;
}

function normalizeRows(rows: Float64Array, n: number, d: number, what: string): void {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += rows[o + j] * rows[o + j];
    if (s === 0) {
      throw new RangeError(`metric 'cosine' is undefined for an all-zero row (${what} row ${i})`);
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) rows[o + j] *= inv;
  }
}
