/**
 * Argument checks shared by the clustering and metric entry points. They run
 * once per call (O(n·d) at worst), so they never show up next to the O(n·k·d)
 * work, and NaN would otherwise silently poison every distance.
 */

export function checkMatrix(data: Float32Array, n: number, d: number): void {
  if (!(data instanceof Float32Array)) throw new TypeError('data must be a Float32Array (row-major n×d)');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  if (data.length !== n * d) {
    throw new RangeError(`data has ${data.length} values but n×d = ${n}×${d} = ${n * d}`);
  }
  if (allFinite(data)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is NaN exactly for NaN and ±Infinity.
    if (v - v !== 0) {
      throw new RangeError(`data contains a non-finite value (${v}) at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
}

/**
 * Branch-free scan: v·0 is 0 for every finite v and NaN for NaN and ±Infinity, so the sums stay 0
 * exactly when every value is finite. Four accumulators keep the loop from being latency-bound;
 * only a failing check pays for the second, locating scan.
 */
function allFinite(data: Float32Array): boolean {
  let a = 0, b = 0, c = 0, e = 0;
  const end = data.length & ~3;
  for (let i = 0; i < end; i += 4) {
    a += data[i]! * 0;
    b += data[i + 1]! * 0;
    c += data[i + 2]! * 0;
    e += data[i + 3]! * 0;
  }
  for (let i = end; i < data.length; i++) a += data[i]! * 0;
  return a + b + c + e === 0;
}

export function checkLabels(labels: Int32Array, n: number): void {
  if (!(labels instanceof Int32Array)) throw new TypeError('labels must be an Int32Array');
  if (labels.length !== n) throw new RangeError(`labels has length ${labels.length} but n = ${n}`);
}
