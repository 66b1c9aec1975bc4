/**
 * Adjusted Rand index, as scikit-learn's `adjusted_rand_score`, via the pair
 * confusion matrix. Labels are arbitrary integers (-1 is just another label).
 * The final products exceed 2^53 for large n, so they are formed in BigInt.
 */

export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  if (!(a instanceof Int32Array) || !(b instanceof Int32Array)) throw new TypeError('labels must be Int32Arrays');
  if (a.length !== b.length) throw new RangeError(`label arrays differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  const codesA = denseCodes(a);
  const codesB = denseCodes(b);
  const rowSums = new Float64Array(codesA.count);
  const colSums = new Float64Array(codesB.count);
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = codesA.codes[i];
    const c = codesB.codes[i];
    rowSums[r] += 1;
    colSums[c] += 1;
    const key = r * codesB.count + c;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  // Every partial sum below is an integer ≤ n², exact in float64 for n < 9e7.
  let sumSquares = 0;
  let dotCols = 0; // Σ n_ij · (column total of j)
  let dotRows = 0; // Σ n_ij · (row total of i)
  for (const [key, v] of cells) {
    const r = Math.floor(key / codesB.count);
    const c = key - r * codesB.count;
    sumSquares += v * v;
    dotCols += v * colSums[c];
    dotRows += v * rowSums[r];
  }
  const tp = BigInt(sumSquares - n);
  const fp = BigInt(dotCols - sumSquares);
  const fn = BigInt(dotRows - sumSquares);
  const tn = BigInt(n) * BigInt(n) - fp - fn - BigInt(sumSquares);
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}

function denseCodes(labels: Int32Array): { codes: Int32Array; count: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = map.get(labels[i]);
    if (c === undefined) {
      c = map.size;
      map.set(labels[i], c);
    }
    codes[i] = c;
  }
  return { codes, count: map.size };
}
