/**
 * WebAssembly SIMD128 kernels behind the engine's distance work. Compiled by
 * scripts/build-wasm.mjs into src/wasm/kernels.generated.ts; driven by
 * src/wasm/wasm-kernels.ts, which owns linear memory and passes byte offsets.
 * Nothing here allocates.
 *
 * Panel layout. Rows that take part in dot products are stored in groups of
 * four rows: the first 4-float chunk of each of the four rows (64 bytes), then
 * their second chunks, and so on. Rows are padded with zeros to `dp` values (a
 * multiple of 4) and groups to four rows. A micro-kernel then reaches four rows
 * through one pointer and constant offsets, which keeps V8's address
 * arithmetic out of the inner loop (about 1.5× faster than row-major tiles).
 *
 * Canonical dot product. For every pair, x·y is accumulated in float32 lanes
 * over blocks of 128 values (32 chunks: f32x4 multiply, then f32x4 add); each
 * block's lane sums are promoted and added to a float64 total as
 * (l0 + l2) + (l1 + l3), blocks in order. All kernels use exactly this order,
 * so a pair's value does not depend on the kernel or tile that produced it:
 * Lloyd and Elkan see identical numbers. The error is at most about
 * 33·2⁻²⁴·Σ|xⱼyⱼ| (float32 sums of 32 terms per lane; typically ~1e-7
 * relative), where float32 lanes over all 768 values would allow 193·2⁻²⁴.
 * Blocks of 64 values halve the bound but cost ~12% speed.
 */

const CHUNKS_PER_BLOCK: i32 = 32;
/** Groups of the right-hand panel visited per pass over the left rows (256 rows, ≤ 768 KiB at d = 768). */
const GROUPS_PER_PASS: i32 = 64;

@inline function blockSum(s: v128): f64 {
  const halves = f64x2.add(
    f64x2.promote_low_f32x4(s),
    f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)),
  );
  return f64x2.extract_lane(halves, 0) + f64x2.extract_lane(halves, 1);
}

@inline function groupBytes(dp: i32): usize {
  return <usize>dp << 4;
}

/** Address of row `row`'s first chunk in a panel. */
@inline function rowAddress(panel: usize, row: i32, dp: i32): usize {
  return panel + <usize>(row >> 2) * groupBytes(dp) + (<usize>(row & 3) << 4);
}

/** Two rows of one group (a, a + 16) against the four rows of group b; results to out0[0..3], out1[0..3]. */
@inline function pairByQuad(a: usize, b: usize, chunks: i32, out0: usize, out1: usize): void {
  let t00: f64 = 0, t01: f64 = 0, t02: f64 = 0, t03: f64 = 0;
  let t10: f64 = 0, t11: f64 = 0, t12: f64 = 0, t13: f64 = 0;
  let q = 0;
  while (q < chunks) {
    const end = min(q + CHUNKS_PER_BLOCK, chunks);
    let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
    let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
    let pa = a + (<usize>q << 6);
    let pb = b + (<usize>q << 6);
    const paEnd = a + (<usize>end << 6);
    while (pa < paEnd) {
      const u = v128.load(pa);
      const v = v128.load(pa, 16);
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      s00 = f32x4.add(s00, f32x4.mul(u, b0));
      s01 = f32x4.add(s01, f32x4.mul(u, b1));
      s02 = f32x4.add(s02, f32x4.mul(u, b2));
      s03 = f32x4.add(s03, f32x4.mul(u, b3));
      s10 = f32x4.add(s10, f32x4.mul(v, b0));
      s11 = f32x4.add(s11, f32x4.mul(v, b1));
      s12 = f32x4.add(s12, f32x4.mul(v, b2));
      s13 = f32x4.add(s13, f32x4.mul(v, b3));
      pa += 64;
      pb += 64;
    }
    t00 += blockSum(s00); t01 += blockSum(s01); t02 += blockSum(s02); t03 += blockSum(s03);
    t10 += blockSum(s10); t11 += blockSum(s11); t12 += blockSum(s12); t13 += blockSum(s13);
    q = end;
  }
  store<f64>(out0, t00); store<f64>(out0, t01, 8); store<f64>(out0, t02, 16); store<f64>(out0, t03, 24);
  store<f64>(out1, t10); store<f64>(out1, t11, 8); store<f64>(out1, t12, 16); store<f64>(out1, t13, 24);
}

/** One row against the four rows of group b. */
@inline function rowByQuad(a: usize, b: usize, chunks: i32, out: usize): void {
  let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0;
  let q = 0;
  while (q < chunks) {
    const end = min(q + CHUNKS_PER_BLOCK, chunks);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let pa = a + (<usize>q << 6);
    let pb = b + (<usize>q << 6);
    const paEnd = a + (<usize>end << 6);
    while (pa < paEnd) {
      const u = v128.load(pa);
      s0 = f32x4.add(s0, f32x4.mul(u, v128.load(pb)));
      s1 = f32x4.add(s1, f32x4.mul(u, v128.load(pb, 16)));
      s2 = f32x4.add(s2, f32x4.mul(u, v128.load(pb, 32)));
      s3 = f32x4.add(s3, f32x4.mul(u, v128.load(pb, 48)));
      pa += 64;
      pb += 64;
    }
    t0 += blockSum(s0); t1 += blockSum(s1); t2 += blockSum(s2); t3 += blockSum(s3);
    q = end;
  }
  store<f64>(out, t0); store<f64>(out, t1, 8); store<f64>(out, t2, 16); store<f64>(out, t3, 24);
}

/** One row against four arbitrary rows (b0..b3 are row addresses). */
@inline function rowByFour(a: usize, b0: usize, b1: usize, b2: usize, b3: usize, chunks: i32, out: usize): void {
  let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0;
  let q = 0;
  while (q < chunks) {
    const end = min(q + CHUNKS_PER_BLOCK, chunks);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let o = <usize>q << 6;
    const oEnd = <usize>end << 6;
    while (o < oEnd) {
      const u = v128.load(a + o);
      s0 = f32x4.add(s0, f32x4.mul(u, v128.load(b0 + o)));
      s1 = f32x4.add(s1, f32x4.mul(u, v128.load(b1 + o)));
      s2 = f32x4.add(s2, f32x4.mul(u, v128.load(b2 + o)));
      s3 = f32x4.add(s3, f32x4.mul(u, v128.load(b3 + o)));
      o += 64;
    }
    t0 += blockSum(s0); t1 += blockSum(s1); t2 += blockSum(s2); t3 += blockSum(s3);
    q = end;
  }
  store<f64>(out, t0); store<f64>(out, t1, 8); store<f64>(out, t2, 16); store<f64>(out, t3, 24);
}

@inline function rowByRow(a: usize, b: usize, chunks: i32): f64 {
  let t: f64 = 0;
  let q = 0;
  while (q < chunks) {
    const end = min(q + CHUNKS_PER_BLOCK, chunks);
    let s = f32x4.splat(0);
    let o = <usize>q << 6;
    const oEnd = <usize>end << 6;
    while (o < oEnd) {
      s = f32x4.add(s, f32x4.mul(v128.load(a + o), v128.load(b + o)));
      o += 64;
    }
    t += blockSum(s);
    q = end;
  }
  return t;
}

/**
 * out[r·outStride + c] = a(aRow0 + r) · b(c) for r < aRows and c < 4·bGroups
 * (padding rows of b give 0).
 */
export function dotTile(
  aPanel: usize, aRow0: i32, aRows: i32, bPanel: usize, bGroups: i32, dp: i32, out: usize, outStride: i32,
): void {
  const chunks = dp >> 2;
  const gBytes = groupBytes(dp);
  const rowOut = <usize>outStride << 3;
  for (let g0 = 0; g0 < bGroups; g0 += GROUPS_PER_PASS) {
    const g1 = min(g0 + GROUPS_PER_PASS, bGroups);
    let r = 0;
    while (r < aRows) {
      const row = aRow0 + r;
      const a = rowAddress(aPanel, row, dp);
      const o0 = out + <usize>r * rowOut;
      // A pair must share a group at lanes (0, 1) or (2, 3).
      if ((row & 1) == 0 && r + 1 < aRows) {
        for (let g = g0; g < g1; g++) {
          pairByQuad(a, bPanel + <usize>g * gBytes, chunks, o0 + (<usize>g << 5), o0 + rowOut + (<usize>g << 5));
        }
        r += 2;
      } else {
        for (let g = g0; g < g1; g++) rowByQuad(a, bPanel + <usize>g * gBytes, chunks, o0 + (<usize>g << 5));
        r += 1;
      }
    }
  }
}

/**
 * For each row a(aRow0 + r): the b row minimising bNorms[c] − 2·a·b(c), ties
 * to the lowest c, into labels[r] (i32) and that minimum into values[r] (f64).
 * scratch holds aRows × 4·⌈bCount/4⌉ doubles.
 */
export function nearest(
  aPanel: usize, aRow0: i32, aRows: i32, bPanel: usize, bCount: i32, dp: i32,
  bNorms: usize, scratch: usize, labels: usize, values: usize,
): void {
  const bGroups = (bCount + 3) >> 2;
  const stride = bGroups << 2;
  dotTile(aPanel, aRow0, aRows, bPanel, bGroups, dp, scratch, stride);
  for (let r = 0; r < aRows; r++) {
    const dots = scratch + ((<usize>r * stride) << 3);
    let best = 0;
    let bestValue = load<f64>(bNorms) - 2 * load<f64>(dots);
    for (let c = 1; c < bCount; c++) {
      const v = load<f64>(bNorms + (<usize>c << 3)) - 2 * load<f64>(dots + (<usize>c << 3));
      if (v < bestValue) {
        bestValue = v;
        best = c;
      }
    }
    store<i32>(labels + (<usize>r << 2), best);
    store<f64>(values + (<usize>r << 3), bestValue);
  }
}

/** out[t] = a(aRow) · b(ids[t]) for t < count. */
export function dotGathered(aPanel: usize, aRow: i32, bPanel: usize, ids: usize, count: i32, dp: i32, out: usize): void {
  const chunks = dp >> 2;
  const a = rowAddress(aPanel, aRow, dp);
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const p = ids + (<usize>t << 2);
    rowByFour(
      a,
      rowAddress(bPanel, load<i32>(p), dp),
      rowAddress(bPanel, load<i32>(p, 4), dp),
      rowAddress(bPanel, load<i32>(p, 8), dp),
      rowAddress(bPanel, load<i32>(p, 12), dp),
      chunks,
      out + (<usize>t << 3),
    );
  }
  for (; t < count; t++) {
    const c = load<i32>(ids + (<usize>t << 2));
    store<f64>(out + (<usize>t << 3), rowByRow(a, rowAddress(bPanel, c, dp), chunks));
  }
}

/**
 * Copies `rows` row-major rows of length d from src into a panel at dst,
 * subtracting origin (d floats) in float32 and zero-filling the padding.
 */
export function packRows(src: usize, rows: i32, d: i32, dp: i32, origin: usize, dst: usize): void {
  const gBytes = groupBytes(dp);
  const rowsPadded = (rows + 3) & ~3;
  const d4 = d & ~3;
  for (let r = 0; r < rowsPadded; r++) {
    const out = dst + <usize>(r >> 2) * gBytes + (<usize>(r & 3) << 4);
    if (r >= rows) {
      for (let j = 0; j < dp; j += 4) v128.store(out + (<usize>j << 4), i32x4.splat(0));
      continue;
    }
    const x = src + ((<usize>r * d) << 2);
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + (<usize>j << 4), f32x4.sub(v128.load(x + o), v128.load(origin + o)));
    }
    for (; j < dp; j++) {
      const value: f32 = j < d ? load<f32>(x + (<usize>j << 2)) - load<f32>(origin + (<usize>j << 2)) : 0;
      store<f32>(out + (<usize>(j & ~3) << 4) + (<usize>(j & 3) << 2), value);
    }
  }
}

/** out[r] = ‖row r‖² in float64 (products exact, sums in a fixed order). */
export function panelNorms(panel: usize, rows: i32, dp: i32, out: usize): void {
  const chunks = dp >> 2;
  for (let r = 0; r < rows; r++) {
    const a = rowAddress(panel, r, dp);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let q = 0; q < chunks; q++) {
      const v = v128.load(a + (<usize>q << 6));
      const l = f64x2.promote_low_f32x4(v);
      const h = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      lo = f64x2.add(lo, f64x2.mul(l, l));
      hi = f64x2.add(hi, f64x2.mul(h, h));
    }
    const s = f64x2.add(lo, hi);
    store<f64>(out + (<usize>r << 3), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
}

/**
 * Silhouette tile: distances between rows i0..i0+ib and j0..j0+jb (j0 a
 * multiple of 4) from dot products and squared norms, summed per label.
 * symmetric ≠ 0: only pairs j > i, credited to both rows in sums[row·L + label].
 * symmetric = 0: every j ≠ i, credited to row i in sums[(i − i0)·L + label].
 */
export function addPairDistances(
  panel: usize, i0: i32, ib: i32, j0: i32, jb: i32, dp: i32,
  norms: usize, codes: usize, nLabels: i32, sums: usize, scratch: usize, symmetric: i32,
): void {
  const jGroups = (jb + 3) >> 2;
  const stride = jGroups << 2;
  dotTile(panel, i0, ib, panel + <usize>(j0 >> 2) * groupBytes(dp), jGroups, dp, scratch, stride);
  const rowSums = <usize>nLabels << 3;
  for (let r = 0; r < ib; r++) {
    const i = i0 + r;
    const ni = load<f64>(norms + (<usize>i << 3));
    const ci = load<i32>(codes + (<usize>i << 2));
    const dots = scratch + ((<usize>r * stride) << 3);
    if (symmetric != 0) {
      const own = sums + <usize>i * rowSums;
      for (let c = i0 == j0 ? r + 1 : 0; c < jb; c++) {
        const j = j0 + c;
        const v = ni + load<f64>(norms + (<usize>j << 3)) - 2 * load<f64>(dots + (<usize>c << 3));
        const dist = sqrt(max(v, 0));
        const oi = own + (<usize>load<i32>(codes + (<usize>j << 2)) << 3);
        store<f64>(oi, load<f64>(oi) + dist);
        const oj = sums + <usize>j * rowSums + (<usize>ci << 3);
        store<f64>(oj, load<f64>(oj) + dist);
      }
    } else {
      const own = sums + <usize>r * rowSums;
      for (let c = 0; c < jb; c++) {
        const j = j0 + c;
        if (j == i) continue;
        const v = ni + load<f64>(norms + (<usize>j << 3)) - 2 * load<f64>(dots + (<usize>c << 3));
        const oi = own + (<usize>load<i32>(codes + (<usize>j << 2)) << 3);
        store<f64>(oi, load<f64>(oi) + sqrt(max(v, 0)));
      }
    }
  }
}

/** sums[j] += Σ_r x[r][j] in float64, rows in order (row-major src). */
export function addColumns(src: usize, rows: i32, d: i32, sums: usize): void {
  const d2 = d & ~1;
  for (let r = 0; r < rows; r++) {
    const x = src + ((<usize>r * d) << 2);
    let j = 0;
    for (; j < d2; j += 2) {
      const p = sums + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>j << 2)))));
    }
    if (j < d) {
      const p = sums + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(x + (<usize>j << 2)));
    }
  }
}

/** out[j] += Σ_r (x[r][j] − mean[j])² in float64, rows in order. */
export function addSquaredDeviations(src: usize, rows: i32, d: i32, mean: usize, out: usize): void {
  const d2 = d & ~1;
  for (let r = 0; r < rows; r++) {
    const x = src + ((<usize>r * d) << 2);
    let j = 0;
    for (; j < d2; j += 2) {
      const o = <usize>j << 3;
      const t = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>j << 2))), v128.load(mean + o));
      v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(t, t)));
    }
    if (j < d) {
      const o = <usize>j << 3;
      const t = <f64>load<f32>(x + (<usize>j << 2)) - load<f64>(mean + o);
      store<f64>(out + o, load<f64>(out + o) + t * t);
    }
  }
}

/** sums[label·d + j] += x[r][j] in float64 for rows with label ≥ 0. */
export function addRowsByLabel(src: usize, rows: i32, d: i32, labels: usize, sums: usize): void {
  const d2 = d & ~1;
  for (let r = 0; r < rows; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    if (label < 0) continue;
    const x = src + ((<usize>r * d) << 2);
    const s = sums + ((<usize>label * d) << 3);
    let j = 0;
    for (; j < d2; j += 2) {
      const p = s + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>j << 2)))));
    }
    if (j < d) {
      const p = s + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(x + (<usize>j << 2)));
    }
  }
}

/**
 * out[r] = Σ_j (x[r][j] − centers[label·d + j])² in float64 (direct
 * differences, no cancellation); 0 for rows with label < 0.
 */
export function squaredDistancesToCenters(src: usize, rows: i32, d: i32, labels: usize, centers: usize, out: usize): void {
  const d2 = d & ~1;
  for (let r = 0; r < rows; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    if (label < 0) {
      store<f64>(out + (<usize>r << 3), 0);
      continue;
    }
    const x = src + ((<usize>r * d) << 2);
    const c = centers + ((<usize>label * d) << 3);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j < d2; j += 2) {
      const t = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>j << 2))), v128.load(c + (<usize>j << 3)));
      acc = f64x2.add(acc, f64x2.mul(t, t));
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (j < d) {
      const t = <f64>load<f32>(x + (<usize>j << 2)) - load<f64>(c + (<usize>j << 3));
      s += t * t;
    }
    store<f64>(out + (<usize>r << 3), s);
  }
}

// Elkan's k-means bounds (see src/cluster/kmeans-assign.ts for why the
// margins make skipped centers provably worse than the kept one). Per-row
// state pointers are offset to the first row of the call.
//
// Lower bounds are loosened lazily: a stored value is the bound plus the
// center's drift (sum of its shifts) at the time it was set, rounded down to
// float32, and the bound in force is stored − drift now. Rows that the
// nearest-center test settles never touch their k lower bounds at all.

/** 1 + 2⁻⁵⁰: upper bounds grow by this factor more than the shift. */
const BOUND_INFLATE: f64 = 1.0000000000000009;

/**
 * Largest float32 not above v (v ≥ 0). Branch-free: rounding goes either
 * way about half the time, and V8 compiles a float select to a branch.
 */
@inline function floorToFloat32(v: f64): f32 {
  const f = <f32>v;
  return reinterpret<f32>(reinterpret<i32>(f) - <i32>(<f64>f > v));
}

@inline function provablyWorse(lower: f64, half: f64, u: f64, slack: f64): bool {
  return (lower > u && (lower - u) * (lower + u) > 2 * slack) || (half > u && half * (half - u) > 0.5 * slack);
}

@inline function upperFrom(xNorm: f64, partial: f64, slack: f64): f64 {
  return sqrt(max(xNorm + partial + slack, 0));
}

/** A lower bound from a computed ‖c‖² − 2x·c, stored with the center's drift added. */
@inline function storedLower(xNorm: f64, partial: f64, slack: f64, drift: f64): f32 {
  return floorToFloat32(sqrt(max(xNorm + partial - slack, 0)) + drift);
}

@inline function rowSlack(xNorm: f64, rowError: f64, normError: f64, maxNorm: f64): f64 {
  return rowError * sqrt(xNorm) * maxNorm + normError * (xNorm + maxNorm * maxNorm);
}

/** First pass: every pair; sets labels (lowest index among equal minima) and all bounds (drift 0). */
export function elkanStart(
  aPanel: usize, aRow0: i32, rows: i32, bPanel: usize, k: i32, dp: i32, cNorms: usize,
  xNorms: usize, labels: usize, upper: usize, lower: usize,
  rowError: f64, normError: f64, maxNorm: f64, scratch: usize,
): void {
  const groups = (k + 3) >> 2;
  const stride = groups << 2;
  dotTile(aPanel, aRow0, rows, bPanel, groups, dp, scratch, stride);
  for (let r = 0; r < rows; r++) {
    const xn = load<f64>(xNorms + (<usize>r << 3));
    const slack = rowSlack(xn, rowError, normError, maxNorm);
    const dots = scratch + ((<usize>r * stride) << 3);
    const lo = lower + ((<usize>r * k) << 2);
    let best = 0;
    let bestValue = Infinity;
    for (let c = 0; c < k; c++) {
      const v = load<f64>(cNorms + (<usize>c << 3)) - 2 * load<f64>(dots + (<usize>c << 3));
      store<f32>(lo + (<usize>c << 2), storedLower(xn, v, slack, 0));
      if (v < bestValue) {
        bestValue = v;
        best = c;
      }
    }
    store<i32>(labels + (<usize>r << 2), best);
    store<f64>(upper + (<usize>r << 3), upperFrom(xn, bestValue, slack));
  }
}

/**
 * Later passes: the upper bound grows by the own center's shift, lower bounds
 * by the drift (both f64[k], drift including this shift), then only the pairs
 * the bounds cannot rule out are recomputed. halfDist (k×k) and nearestHalf
 * (k) are lower bounds on half the center–center distances. ids (k i32) and
 * gathered (k f64) are scratch. Returns how many labels changed.
 */
export function elkanStep(
  aPanel: usize, aRow0: i32, rows: i32, bPanel: usize, k: i32, dp: i32, cNorms: usize,
  xNorms: usize, labels: usize, upper: usize, lower: usize,
  shift: usize, drift: usize, halfDist: usize, nearestHalf: usize,
  rowError: f64, normError: f64, maxNorm: f64, ids: usize, gathered: usize,
): i32 {
  const chunks = dp >> 2;
  let changed = 0;
  for (let r = 0; r < rows; r++) {
    const labelAt = labels + (<usize>r << 2);
    const upperAt = upper + (<usize>r << 3);
    const a = load<i32>(labelAt);
    // Inflated by 2⁻⁵⁰ so rounding can never leave it below the exact bound.
    let u = (load<f64>(upperAt) + load<f64>(shift + (<usize>a << 3))) * BOUND_INFLATE;
    const xn = load<f64>(xNorms + (<usize>r << 3));
    const slack = rowSlack(xn, rowError, normError, maxNorm);
    const s = load<f64>(nearestHalf + (<usize>a << 3));
    if (s > u && s * (s - u) > 0.5 * slack) {
      store<f64>(upperAt, u);
      continue;
    }
    const lo = lower + ((<usize>r * k) << 2);
    const half = halfDist + ((<usize>a * k) << 3);
    let count = 0;
    for (let c = 0; c < k; c++) {
      const l = <f64>load<f32>(lo + (<usize>c << 2)) - load<f64>(drift + (<usize>c << 3));
      if (c != a && !provablyWorse(l, load<f64>(half + (<usize>c << 3)), u, slack)) {
        store<i32>(ids + (<usize>count << 2), c);
        count++;
      }
    }
    if (count == 0) {
      store<f64>(upperAt, u);
      continue;
    }
    // Tighten the upper bound first: it is often enough to rule everyone out.
    const row = aRow0 + r;
    const x = rowAddress(aPanel, row, dp);
    let bestValue = load<f64>(cNorms + (<usize>a << 3)) - 2 * rowByRow(x, rowAddress(bPanel, a, dp), chunks);
    u = upperFrom(xn, bestValue, slack);
    store<f32>(lo + (<usize>a << 2), storedLower(xn, bestValue, slack, load<f64>(drift + (<usize>a << 3))));
    let kept = 0;
    for (let t = 0; t < count; t++) {
      const c = load<i32>(ids + (<usize>t << 2));
      const l = <f64>load<f32>(lo + (<usize>c << 2)) - load<f64>(drift + (<usize>c << 3));
      if (!provablyWorse(l, load<f64>(half + (<usize>c << 3)), u, slack)) {
        store<i32>(ids + (<usize>kept << 2), c);
        kept++;
      }
    }
    if (kept > 0) {
      dotGathered(aPanel, row, bPanel, ids, kept, dp, gathered);
      let best = a;
      for (let t = 0; t < kept; t++) {
        const c = load<i32>(ids + (<usize>t << 2));
        const v = load<f64>(cNorms + (<usize>c << 3)) - 2 * load<f64>(gathered + (<usize>t << 3));
        store<f32>(lo + (<usize>c << 2), storedLower(xn, v, slack, load<f64>(drift + (<usize>c << 3))));
        if (v < bestValue || (v == bestValue && c < best)) {
          bestValue = v;
          best = c;
        }
      }
      if (best != a) {
        store<i32>(labelAt, best);
        changed++;
      }
      u = upperFrom(xn, bestValue, slack);
    }
    store<f64>(upperAt, u);
  }
  return changed;
}

// k-means++ seeding (driven by src/cluster/kmeans-init.ts). Per-row state
// pointers are offset to the first row of the call: closest (f64, squared
// distance to the nearest chosen center), nearest (i32, its index), xNorms.

/** Distances to the first center (candidate row 0): closest = ‖x − c‖², nearest = 0. */
export function seedingStart(
  aPanel: usize, aRow0: i32, rows: i32, candPanel: usize, dp: i32, xNorms: usize, candNorm: f64,
  closest: usize, nearest: usize,
): void {
  const chunks = dp >> 2;
  const c = rowAddress(candPanel, 0, dp);
  for (let r = 0; r < rows; r++) {
    const v = load<f64>(xNorms + (<usize>r << 3)) + candNorm - 2 * rowByRow(rowAddress(aPanel, aRow0 + r, dp), c, chunks);
    store<f64>(closest + (<usize>r << 3), max(v, 0));
    store<i32>(nearest + (<usize>r << 2), 0);
  }
}

/**
 * Squared distances from each row to the `trials` candidates into
 * dist[r·trials + t], +∞ where the triangle inequality shows the candidate
 * is no closer than the row's nearest chosen center (‖cand − that center‖² ≥
 * 4·closest, from candToCenter[t·k + center]); pots[t] += min(dist, closest).
 * When most pairs are needed they come from one tile (scratch: trials ×
 * 4⌈rows/4⌉ f64; aRow0 must then be a multiple of 4), otherwise pair by pair
 * (ids: trials i32, gathered: trials f64); both give the same values.
 * mask: rows × trials bytes.
 * The per-pair choices are branch-free: they go either way unpredictably.
 */
export function seedingDistances(
  aPanel: usize, aRow0: i32, rows: i32, candPanel: usize, trials: i32, dp: i32,
  xNorms: usize, candNorms: usize, closest: usize, nearest: usize, candToCenter: usize, k: i32,
  dist: usize, pots: usize, mask: usize, ids: usize, gathered: usize, scratch: usize,
): void {
  let needed = 0;
  for (let r = 0; r < rows; r++) {
    const limit = 4 * load<f64>(closest + (<usize>r << 3));
    const e = load<i32>(nearest + (<usize>r << 2));
    const m = mask + <usize>r * trials;
    for (let t = 0; t < trials; t++) {
      const need = <i32>(load<f64>(candToCenter + ((<usize>t * k + e) << 3)) < limit);
      store<u8>(m + t, need);
      needed += need;
    }
  }
  // The tile runs candidates against groups of rows (aRow0 is a multiple of
  // 4), so no product is wasted on padding candidates.
  const rowGroups = (rows + 3) >> 2;
  const stride = rowGroups << 2;
  const tiled = needed * 2 > rows * trials;
  if (tiled) dotTile(candPanel, 0, trials, aPanel + <usize>(aRow0 >> 2) * groupBytes(dp), rowGroups, dp, scratch, stride);
  const infinity = reinterpret<i64>(Infinity);
  for (let r = 0; r < rows; r++) {
    const xn = load<f64>(xNorms + (<usize>r << 3));
    const out = dist + ((<usize>r * trials) << 3);
    const m = mask + <usize>r * trials;
    if (tiled) {
      const dots = scratch + (<usize>r << 3);
      for (let t = 0; t < trials; t++) {
        const v = max(xn + load<f64>(candNorms + (<usize>t << 3)) - 2 * load<f64>(dots + ((<usize>t * stride) << 3)), 0);
        store<i64>(out + (<usize>t << 3), select<i64>(reinterpret<i64>(v), infinity, load<u8>(m + t) != 0));
      }
    } else {
      let count = 0;
      for (let t = 0; t < trials; t++) {
        store<f64>(out + (<usize>t << 3), Infinity);
        if (load<u8>(m + t) != 0) {
          store<i32>(ids + (<usize>count << 2), t);
          count++;
        }
      }
      if (count > 0) {
        dotGathered(aPanel, aRow0 + r, candPanel, ids, count, dp, gathered);
        for (let u = 0; u < count; u++) {
          const t = load<i32>(ids + (<usize>u << 2));
          const v = xn + load<f64>(candNorms + (<usize>t << 3)) - 2 * load<f64>(gathered + (<usize>u << 3));
          store<f64>(out + (<usize>t << 3), max(v, 0));
        }
      }
    }
    const ci = load<f64>(closest + (<usize>r << 3));
    for (let t = 0; t < trials; t++) {
      const p = pots + (<usize>t << 3);
      store<f64>(p, load<f64>(p) + min(load<f64>(out + (<usize>t << 3)), ci));
    }
  }
}

/** Candidate `best` becomes chosen center `center`: rows it is closer to move over. */
export function seedingAccept(rows: i32, trials: i32, best: i32, center: i32, dist: usize, closest: usize, nearest: usize): void {
  for (let r = 0; r < rows; r++) {
    const v = load<f64>(dist + ((<usize>r * trials + best) << 3));
    const p = closest + (<usize>r << 3);
    const q = nearest + (<usize>r << 2);
    const closer = v < load<f64>(p);
    store<f64>(p, min(v, load<f64>(p)));
    store<i32>(q, select<i32>(center, load<i32>(q), closer));
  }
}
