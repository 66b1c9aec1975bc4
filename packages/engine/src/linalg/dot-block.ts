/**
 * Dense dot-product kernels on row-major Float32 matrices.
 *
 * Every dot product is accumulated in float64 with a single accumulator,
 * strictly in column order. That makes the value of x·y independent of which
 * register-blocked path computed it, so callers that compute the same pair
 * through different kernels (Lloyd vs Elkan) see bit-identical numbers.
 * float32 × float32 products are exact in float64, so only the sums round.
 *
 * The 2×4 micro-kernel (two rows against four rows) was the fastest shape we
 * measured in V8: 8 accumulators + 6 loads per step stay in xmm registers,
 * while larger tiles spill.
 */

/**
 * out[r * bRows + c] = a_row(aRow0 + r) · b_row(bRow0 + c)
 * for 0 ≤ r < aRows, 0 ≤ c < bRows.
 */
export function dotBlock(
  a: Float32Array,
  aRow0: number,
  aRows: number,
  b: Float32Array,
  bRow0: number,
  bRows: number,
  d: number,
  out: Float64Array,
): void {
  const rEven = aRows & ~1;
  const cQuad = bRows & ~3;
  for (let r = 0; r < rEven; r += 2) {
    const x0 = (aRow0 + r) * d;
    const x1 = x0 + d;
    const o0 = r * bRows;
    const o1 = o0 + bRows;
    let c = 0;
    for (; c < cQuad; c += 4) {
      const y0 = (bRow0 + c) * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let j = 0; j < d; j++) {
        const u = a[x0 + j];
        const v = a[x1 + j];
        const b0 = b[y0 + j];
        const b1 = b[y1 + j];
        const b2 = b[y2 + j];
        const b3 = b[y3 + j];
        s00 += u * b0; s01 += u * b1; s02 += u * b2; s03 += u * b3;
        s10 += v * b0; s11 += v * b1; s12 += v * b2; s13 += v * b3;
      }
      out[o0 + c] = s00; out[o0 + c + 1] = s01; out[o0 + c + 2] = s02; out[o0 + c + 3] = s03;
      out[o1 + c] = s10; out[o1 + c + 1] = s11; out[o1 + c + 2] = s12; out[o1 + c + 3] = s13;
    }
    for (; c < bRows; c++) {
      const y0 = (bRow0 + c) * d;
      let s0 = 0, s1 = 0;
      for (let j = 0; j < d; j++) {
        const bv = b[y0 + j];
        s0 += a[x0 + j] * bv;
        s1 += a[x1 + j] * bv;
      }
      out[o0 + c] = s0;
      out[o1 + c] = s1;
    }
  }
  if (rEven < aRows) {
    const x0 = (aRow0 + rEven) * d;
    const o0 = rEven * bRows;
    let c = 0;
    for (; c < cQuad; c += 4) {
      const y0 = (bRow0 + c) * d;
      const y1 = y0 + d;
      const y2 = y1 + d;
      const y3 = y2 + d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const u = a[x0 + j];
        s0 += u * b[y0 + j]; s1 += u * b[y1 + j]; s2 += u * b[y2 + j]; s3 += u * b[y3 + j];
      }
      out[o0 + c] = s0; out[o0 + c + 1] = s1; out[o0 + c + 2] = s2; out[o0 + c + 3] = s3;
    }
    for (; c < bRows; c++) {
      const y0 = (bRow0 + c) * d;
      let s0 = 0;
      for (let j = 0; j < d; j++) s0 += a[x0 + j] * b[y0 + j];
      out[o0 + c] = s0;
    }
  }
}

/**
 * out[t] = a_row(aRow) · b_row(rows[t]) for t < count: one row against a
 * gathered subset of rows (Elkan's surviving candidate centers).
 */
export function dotGathered(
  a: Float32Array,
  aRow: number,
  b: Float32Array,
  rows: Int32Array,
  count: number,
  d: number,
  out: Float64Array,
): void {
  const x0 = aRow * d;
  const quad = count & ~3;
  let t = 0;
  for (; t < quad; t += 4) {
    const y0 = rows[t] * d;
    const y1 = rows[t + 1] * d;
    const y2 = rows[t + 2] * d;
    const y3 = rows[t + 3] * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const u = a[x0 + j];
      s0 += u * b[y0 + j]; s1 += u * b[y1 + j]; s2 += u * b[y2 + j]; s3 += u * b[y3 + j];
    }
    out[t] = s0; out[t + 1] = s1; out[t + 2] = s2; out[t + 3] = s3;
  }
  for (; t < count; t++) {
    const y0 = rows[t] * d;
    let s0 = 0;
    for (let j = 0; j < d; j++) s0 += a[x0 + j] * b[y0 + j];
    out[t] = s0;
  }
}

/** Squared euclidean norm of every row, accumulated like dotBlock does. */
export function rowSquaredNorms(a: Float32Array, rows: number, d: number, out?: Float64Array): Float64Array {
  const norms = out ?? new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = a[o + j];
      s += v * v;
    }
    norms[r] = s;
  }
  return norms;
}

/** Exact squared distance between two rows by direct differences (no cancellation). */
export function squaredDistance(a: Float32Array, aRow: number, b: Float32Array, bRow: number, d: number): number {
  const x0 = aRow * d;
  const y0 = bRow * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[x0 + j] - b[y0 + j];
    s += t * t;
  }
  return s;
}

/** a_row(aRow) · b_row(bRow), accumulated exactly like dotBlock. */
export function dotRows(a: Float32Array, aRow: number, b: Float32Array, bRow: number, d: number): number {
  const x0 = aRow * d;
  const y0 = bRow * d;
  let s = 0;
  for (let j = 0; j < d; j++) s += a[x0 + j] * b[y0 + j];
  return s;
}
