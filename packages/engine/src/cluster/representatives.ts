/**
 * One representative vector per cluster, as `effective_feature_method` asks:
 *  - mean: the arithmetic mean of the members (the k-means centroid);
 *  - median: the coordinate-wise median (robust to outlying members; not itself a member);
 *  - medoid: the member closest (euclidean) to the mean, so the representative is a real document.
 * Noise rows (-1) belong to no cluster and are ignored. Empty clusters get NaN rows.
 */
import { checkLabels, checkMatrix } from '../validate.ts';

export type RepresentativeMethod = 'mean' | 'median' | 'medoid';

export interface ClusterRepresentatives {
  /** k×d row-major. */
  vectors: Float32Array;
  /** For 'medoid', the row index of each cluster's medoid (-1 for an empty cluster); null otherwise. */
  medoidRows: Int32Array | null;
}

function clusterMeans(data: Float32Array, n: number, d: number, labels: Int32Array, k: number): Float64Array {
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (c < 0) continue;
    counts[c]!++;
    const row = i * d;
    const base = c * d;
    for (let j = 0; j < d; j++) sums[base + j] += data[row + j]!;
  }
  for (let c = 0; c < k; c++) {
    const base = c * d;
    for (let j = 0; j < d; j++) sums[base + j] = counts[c]! > 0 ? sums[base + j]! / counts[c]! : NaN;
  }
  return sums;
}

function coordinateMedians(data: Float32Array, n: number, d: number, labels: Int32Array, k: number): Float32Array {
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) members[labels[i]!]!.push(i);
  const out = new Float32Array(k * d).fill(NaN);
  for (let c = 0; c < k; c++) {
    const rows = members[c]!;
    if (rows.length === 0) continue;
    const column = new Float32Array(rows.length);
    const mid = rows.length >> 1;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < rows.length; t++) column[t] = data[rows[t]! * d + j]!;
      column.sort();
      // Even sizes average the two middle values, as numpy's median does.
      out[c * d + j] = rows.length % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
    }
  }
  return out;
}

export function clusterRepresentatives(
  data: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  method: RepresentativeMethod,
): ClusterRepresentatives {
  checkMatrix(data, n, d);
  checkLabels(labels, n);
  for (let i = 0; i < n; i++) {
    if (labels[i]! < -1 || labels[i]! >= k) throw new RangeError(`label ${labels[i]} at row ${i} is outside -1..${k - 1}`);
  }
  if (method === 'median') return { vectors: coordinateMedians(data, n, d, labels, k), medoidRows: null };
  const means = clusterMeans(data, n, d, labels, k);
  if (method === 'mean') return { vectors: Float32Array.from(means), medoidRows: null };
  if (method !== 'medoid') throw new RangeError(`effective_feature_method must be 'mean', 'median' or 'medoid', got '${method}'`);

  const medoidRows = new Int32Array(k).fill(-1);
  const best = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (c < 0) continue;
    const row = i * d;
    const base = c * d;
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const t = data[row + j]! - means[base + j]!;
      dist += t * t;
    }
    if (dist < best[c]!) {
      best[c] = dist;
      medoidRows[c] = i;
    }
  }
  const vectors = new Float32Array(k * d).fill(NaN);
  for (let c = 0; c < k; c++) {
    if (medoidRows[c]! >= 0) vectors.set(data.subarray(medoidRows[c]! * d, medoidRows[c]! * d + d), c * d);
  }
  return { vectors, medoidRows };
}
