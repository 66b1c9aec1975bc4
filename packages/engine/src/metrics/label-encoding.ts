/**
 * Maps arbitrary integer labels to dense codes 0..L−1 in ascending label
 * order (scikit-learn's LabelEncoder), optionally dropping noise (-1).
 */

export interface EncodedLabels {
  /** Dense code per point, or -1 for points that were excluded. */
  codes: Int32Array;
  nLabels: number;
  /** Members per code. */
  counts: Float64Array;
  /** Points that received a code. */
  nIncluded: number;
}

export const NOISE_LABEL = -1;

export function encodeLabels(labels: Int32Array, excludeNoise: boolean): EncodedLabels {
  const n = labels.length;
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (excludeNoise && l === NOISE_LABEL) continue;
    if (!seen.has(l)) seen.set(l, 0);
  }
  const distinct = Int32Array.from(seen.keys()).sort();
  for (let c = 0; c < distinct.length; c++) seen.set(distinct[c], c);

  const codes = new Int32Array(n);
  const counts = new Float64Array(distinct.length);
  let nIncluded = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (excludeNoise && l === NOISE_LABEL) {
      codes[i] = -1;
      continue;
    }
    const c = seen.get(l)!;
    codes[i] = c;
    counts[c] += 1;
    nIncluded++;
  }
  return { codes, nLabels: distinct.length, counts, nIncluded };
}

/** scikit-learn refuses internal-validity metrics outside 2 ≤ L ≤ n − 1. */
export function labelCountIsValid(nLabels: number, nSamples: number): boolean {
  return nLabels >= 2 && nLabels <= nSamples - 1;
}

export function assertLabelCount(nLabels: number, nSamples: number): void {
  if (!labelCountIsValid(nLabels, nSamples)) {
    throw new RangeError(
      `Number of labels is ${nLabels}. Valid values are 2 to n_samples - 1 (inclusive) (n_samples = ${nSamples})`,
    );
  }
}
