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
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN exactly for NaN and ±Infinity.
    if (v - v !== 0) {
      throw new RangeError(`data contains a non-finite value (${v}) at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
}

export function checkLabels(labels: Int32Array, n: number): void {
  if (!(labels instanceof Int32Array)) throw new TypeError('labels must be an Int32Array');
  if (labels.length !== n) throw new RangeError(`labels has length ${labels.length} but n = ${n}`);
}
