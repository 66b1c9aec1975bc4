/**
 * Metrics HDBSCAN supports, reduced to two search geometries:
 *  - euclidean and cosine search on squared L2 distances (cosine on
 *    unit-normalised rows, where 1 − cos(x, y) = ‖x̂ − ŷ‖² / 2);
 *  - manhattan searches on L1 sums.
 * Every conversion below is increasing, so nearest neighbours, minimum
 * spanning trees and "max(core, core, distance)" all commute with it.
 */

export type HdbscanMetric = 'euclidean' | 'cosine' | 'manhattan';

export const HDBSCAN_METRICS: readonly HdbscanMetric[] = ['euclidean', 'cosine', 'manhattan'];

export interface MetricSpace {
  metric: HdbscanMetric;
  /** Rows searched: the input itself, or unit-normalised rows for cosine. */
  points: Float32Array;
  n: number;
  d: number;
  /** Search on L1 sums (manhattan) rather than squared L2. */
  l1: boolean;
}

export function prepareSpace(data: Float32Array, n: number, d: number, metric: HdbscanMetric): MetricSpace {
  if (metric !== 'cosine') return { metric, points: data, n, d, l1: metric === 'manhattan' };
  return { metric, points: unitRows(data, n, d, 'data'), n, d, l1: false };
}

/** Rows scaled to unit length; an all-zero row has no direction, so cosine distance is undefined for it. */
export function unitRows(data: Float32Array, n: number, d: number, what: string): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += data[o + j] * data[o + j];
    if (s === 0) {
      throw new RangeError(`metric 'cosine' is undefined for all-zero rows, but row ${i} of ${what} is all zeros`);
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) out[o + j] = data[o + j] * inv;
  }
  return out;
}

/** The factor turning a reduced distance into the reduced form of distance / alpha. */
export function reducedScale(metric: HdbscanMetric, alpha: number): number {
  return metric === 'euclidean' ? 1 / (alpha * alpha) : 1 / alpha;
}

/** Metric distance from a search-space value (squared L2 or L1 sum). */
export function distanceFromReduced(metric: HdbscanMetric, reduced: number): number {
  if (metric === 'euclidean') return Math.sqrt(reduced);
  if (metric === 'cosine') return reduced / 2;
  return reduced;
}

export function reducedDistance(
  a: Float32Array,
  aRow: number,
  b: Float32Array,
  bRow: number,
  d: number,
  l1: boolean,
): number {
  const x = aRow * d;
  const y = bRow * d;
  let s = 0;
  if (l1) {
    for (let j = 0; j < d; j++) s += Math.abs(a[x + j] - b[y + j]);
  } else {
    for (let j = 0; j < d; j++) {
      const t = a[x + j] - b[y + j];
      s += t * t;
    }
  }
  return s;
}
