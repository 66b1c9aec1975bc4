/** Copies the listed rows of a row-major n×d matrix, in list order, into `out` (allocated when absent). */
export function gatherRows(
  data: Float32Array,
  d: number,
  rows: ArrayLike<number>,
  out: Float32Array = new Float32Array(rows.length * d),
): Float32Array {
  for (let t = 0; t < rows.length; t++) out.set(data.subarray(rows[t]! * d, rows[t]! * d + d), t * d);
  return out;
}
