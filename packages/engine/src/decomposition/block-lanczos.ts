/**
 * The few algebraically largest eigenpairs of a large symmetric operator that
 * is only available as a block mat-vec: thick-restarted block Lanczos with
 * full reorthogonalisation.
 *
 * Why a block method: a single-vector Krylov space contains only one
 * direction of each eigenspace, so eigenvalues of multiplicity > 1 (or
 * nearly so, as in graphs of nearly disconnected clusters) would be found
 * only through rounding noise. Blocks of b vectors resolve multiplicities up
 * to b, and applying the operator to b vectors at once streams a dense
 * matrix from memory once instead of b times.
 *
 * The projected matrix T = Qᵀ·A·Q is assembled from the projection
 * coefficients the reorthogonalisation computes anyway, so T is the exact
 * Rayleigh quotient of the basis (not the three-term recurrence's idealised
 * one). Ritz pairs are checked after every block; when the basis is full,
 * the wanted Ritz vectors plus b extra are kept (thick restart, Wu & Simon
 * 2000) together with the last residual block.
 *
 * Basis vectors are stored one per Float64Array so that the O(n·basis) work
 * of reorthogonalisation runs as contiguous dot products and axpys.
 */
import type { Rng } from '../rng.ts';
import { throwIfCanceled } from '../errors.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

export interface BlockOperator {
  n: number;
  /** y = A·x for b vectors stored row-major n×b (x[i*b + c] is entry i of vector c). y must be fully overwritten. */
  apply(x: Float64Array, b: number, y: Float64Array): void;
}

export interface BlockLanczosOptions {
  /** How many of the algebraically largest eigenpairs to return. */
  count: number;
  /** Vectors per block; default min(count, 4). */
  blockSize?: number;
  /** Largest basis (in vectors) before a restart; default max(count + 5·b, 2·count + 2·b, 24). */
  basisSize?: number;
  /** Converged when ‖A·x − θ·x‖ ≤ tol·max(|θ|, ε^⅔·max|θ|), the ARPACK criterion. Default 1e-10. */
  tol?: number;
  /** Cap on block mat-vecs. Default 3000. */
  maxBlockMatvecs?: number;
  /** n×deflateCount row-major orthonormal vectors (known eigenvectors) whose span is excluded from the search. */
  deflate?: Float64Array;
  deflateCount?: number;
  /** Source of the random start block and of replacement vectors after an invariant subspace is found. */
  rng: Rng;
  shouldStop?: () => boolean;
}

export interface BlockLanczosResult {
  /** Descending. */
  values: Float64Array;
  /** n×count row-major: entry i of eigenvector j at [i*count + j]; unit norm, orthogonal. */
  vectors: Float64Array;
  /** Residual norm ‖A·x − θ·x‖ estimate of each returned pair. */
  residuals: Float64Array;
  converged: boolean;
  blockMatvecs: number;
}

export function blockLanczos(op: BlockOperator, options: BlockLanczosOptions): BlockLanczosResult {
  const n = op.n;
  const count = options.count;
  const fCount = options.deflateCount ?? 0;
  const dim = n - fCount; // dimension of the space searched
  if (!Number.isInteger(count) || count < 1 || count > dim) {
    throw new RangeError(`blockLanczos: count must be an integer in [1, ${dim}], got ${count}`);
  }
  const b = Math.min(options.blockSize ?? Math.min(count, 4), dim);
  const keep = count + b;
  const m = Math.min(dim, options.basisSize ?? Math.max(count + 5 * b, 2 * count + 2 * b, 24));
  if (m < keep + 2 * b) return denseFallback(op, options, n, count);
  const tol = options.tol ?? 1e-10;
  const maxMatvecs = options.maxBlockMatvecs ?? 3000;
  const { rng, shouldStop } = options;

  const deflate: Float64Array[] = [];
  for (let f = 0; f < fCount; f++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = options.deflate![i * fCount + f];
    deflate.push(v);
  }
  const basis: Float64Array[] = Array.from({ length: m }, () => new Float64Array(n));
  let spare: Float64Array[] = Array.from({ length: keep }, () => new Float64Array(n));
  const t = new Float64Array(m * m);
  const x = new Float64Array(n * b);
  const y = new Float64Array(n * b);
  const w: Float64Array[] = Array.from({ length: b }, () => new Float64Array(n));
  const h = new Float64Array(m);
  const diagonal = new Float64Array(b * b);
  const r = new Float64Array(b * b);

  // Random start block, orthonormal and orthogonal to the deflated space.
  for (const v of w) for (let i = 0; i < n; i++) v[i] = rng.nextFloat() * 2 - 1;
  orthonormalizeBlock(w, basis, 0, deflate, r, rng, 0);
  for (let c = 0; c < b; c++) basis[c].set(w[c]);
  let known = 0; // leading basis vectors whose rows/columns of T are complete
  let size = b; // basis vectors in use (the last b are pending: A not applied yet)
  let lastBlock = 0; // first vector of the block whose residual factor is r
  let matvecs = 0;

  let ritzValues = new Float64Array(0);
  let ritzVectors = new Float64Array(0); // known×known, column j = Ritz vector j (descending θ)
  let residuals = new Float64Array(count);
  let converged = false;

  // Ritz pairs of T[0..known) and their residual norms ‖R·y_last‖, where y_last
  // holds a Ritz vector's entries on the last processed block.
  const rayleighRitz = (): boolean => {
    const tk = new Float64Array(known * known);
    for (let i = 0; i < known; i++) for (let j = 0; j < known; j++) tk[i * known + j] = t[i * m + j];
    const eig = symmetricEigen(tk, known);
    ritzValues = new Float64Array(known);
    ritzVectors = new Float64Array(known * known);
    for (let j = 0; j < known; j++) {
      const src = known - 1 - j;
      ritzValues[j] = eig.values[src];
      for (let i = 0; i < known; i++) ritzVectors[i * known + j] = eig.vectors[i * known + src];
    }
    let scale = 0;
    for (let j = 0; j < known; j++) scale = Math.max(scale, Math.abs(ritzValues[j]));
    const floor = Math.pow(Number.EPSILON, 2 / 3) * scale;
    let all = true;
    residuals = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      let s = 0;
      for (let a = 0; a < b; a++) {
        let v = 0;
        for (let c = a; c < b; c++) v += r[a * b + c] * ritzVectors[(lastBlock + c) * known + j];
        s += v * v;
      }
      residuals[j] = Math.sqrt(s);
      if (residuals[j] > tol * Math.max(Math.abs(ritzValues[j]), floor)) all = false;
    }
    return all;
  };

  for (;;) {
    throwIfCanceled(shouldStop);
    for (let c = 0; c < b; c++) {
      const v = basis[known + c];
      for (let i = 0; i < n; i++) x[i * b + c] = v[i];
    }
    op.apply(x, b, y);
    matvecs++;
    let applied = 0;
    for (let c = 0; c < b; c++) {
      const v = w[c];
      for (let i = 0; i < n; i++) {
        const value = y[i * b + c];
        v[i] = value;
        applied += value * value;
      }
    }
    // Scale against which a residual column counts as collapsed.
    applied = Math.sqrt(applied / b);

    for (let c = 0; c < b; c++) {
      // First projection: its coefficients are column known+c of T.
      projectOut(w[c], basis, size, h);
      const col = known + c;
      for (let row = 0; row < known; row++) {
        t[row * m + col] = h[row];
        t[col * m + row] = h[row];
      }
      for (let a = 0; a < b; a++) diagonal[a * b + c] = h[known + a];
    }
    // Both triangles of the diagonal block come from these projections; average them.
    for (let a = 0; a < b; a++) {
      for (let c = 0; c < b; c++) t[(known + a) * m + known + c] = 0.5 * (diagonal[a * b + c] + diagonal[c * b + a]);
    }
    for (let c = 0; c < b; c++) projectOut(w[c], basis, size, h);
    orthonormalizeBlock(w, basis, size, deflate, r, rng, applied);
    for (let c = 0; c < b; c++) basis[size + c].set(w[c]);
    lastBlock = known;
    known = size;
    size += b;

    if (known < count) continue;
    converged = rayleighRitz();
    if (converged || matvecs >= maxMatvecs) break;
    if (size + b <= m) continue;

    // Thick restart: basis ← [basis·Y_keep, pending residual block], T ← diag(θ_keep).
    throwIfCanceled(shouldStop);
    combine(basis, known, ritzVectors, keep, spare);
    const pending = basis.slice(known, known + b);
    // Everything else becomes storage: the old vectors and the unused tail.
    const free = [...basis.slice(0, known), ...basis.slice(known + b)];
    const next = [...spare, ...pending, ...free.slice(0, m - keep - b)];
    spare = free.slice(m - keep - b);
    for (let j = 0; j < m; j++) basis[j] = next[j];
    t.fill(0);
    for (let j = 0; j < keep; j++) t[j * m + j] = ritzValues[j];
    known = keep;
    size = keep + b;
  }

  const out: Float64Array[] = Array.from({ length: count }, () => new Float64Array(n));
  combine(basis, known, ritzVectors, count, out);
  const vectors = new Float64Array(n * count);
  for (let j = 0; j < count; j++) {
    const v = out[j];
    for (let i = 0; i < n; i++) vectors[i * count + j] = v[i];
  }
  return { values: ritzValues.slice(0, count), vectors, residuals, converged, blockMatvecs: matvecs };
}

function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < n) s0 += a[i] * b[i];
  return s0 + s1;
}

/** v −= f·u */
function axpy(v: Float64Array, f: number, u: Float64Array): void {
  if (f === 0) return;
  for (let i = 0; i < v.length; i++) v[i] -= f * u[i];
}

/** Classical Gram–Schmidt against basis[0..size): h = coefficients, then v −= Σ h_a·basis_a. */
function projectOut(v: Float64Array, basis: Float64Array[], size: number, h: Float64Array): void {
  for (let a = 0; a < size; a++) h[a] = dot(basis[a], v);
  for (let a = 0; a < size; a++) axpy(v, h[a], basis[a]);
}

/** out[j] = Σ_c basis[c]·y[c][j] for j < columns (y is known×known row-major). */
function combine(basis: Float64Array[], known: number, y: Float64Array, columns: number, out: Float64Array[]): void {
  for (let j = 0; j < columns; j++) {
    const v = out[j];
    v.fill(0);
    for (let c = 0; c < known; c++) {
      const f = y[c * known + j];
      if (f === 0) continue;
      const u = basis[c];
      for (let i = 0; i < v.length; i++) v[i] += f * u[i];
    }
  }
}

/**
 * Orthonormalise the block w (already orthogonal to basis[0..used)) against
 * the deflated vectors and itself, recording the triangular factor r
 * (w_in = w_out·r). A column that collapses (the Krylov space hit an
 * invariant subspace) becomes a random vector orthogonal to everything,
 * with a zero column in r.
 */
function orthonormalizeBlock(
  w: Float64Array[],
  basis: Float64Array[],
  used: number,
  deflate: Float64Array[],
  r: Float64Array,
  rng: Rng,
  reference: number,
): void {
  const b = w.length;
  r.fill(0);
  for (let c = 0; c < b; c++) {
    const v = w[c];
    for (let pass = 0; pass < 2; pass++) for (const f of deflate) axpy(v, dot(f, v), f);
    const before = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const d = dot(w[p], v);
        axpy(v, d, w[p]);
        r[p * b + c] += d;
      }
    }
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-12 * Math.max(before, reference) && norm > 0) {
      r[c * b + c] = norm;
      for (let i = 0; i < v.length; i++) v[i] /= norm;
      continue;
    }
    for (let p = 0; p < b; p++) r[p * b + c] = 0;
    randomOrthogonal(v, [...basis.slice(0, used), ...deflate, ...w.slice(0, c)], rng);
  }
}

function randomOrthogonal(v: Float64Array, against: Float64Array[], rng: Rng): void {
  for (let attempt = 0; attempt < 8; attempt++) {
    for (let i = 0; i < v.length; i++) v[i] = rng.nextFloat() * 2 - 1;
    for (let pass = 0; pass < 2; pass++) for (const u of against) axpy(v, dot(u, v), u);
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-8) {
      for (let i = 0; i < v.length; i++) v[i] /= norm;
      return;
    }
  }
  throw new Error('blockLanczos: could not extend the basis (the search space is exhausted)');
}

/**
 * Small problems: form the operator restricted to the searched space densely
 * (block mat-vecs with unit vectors) and diagonalise it directly.
 */
function denseFallback(op: BlockOperator, options: BlockLanczosOptions, n: number, count: number): BlockLanczosResult {
  const fCount = options.deflateCount ?? 0;
  const deflate = options.deflate;
  const a = new Float64Array(n * n);
  const block = Math.min(n, 32);
  const x = new Float64Array(n * block);
  const y = new Float64Array(n * block);
  let matvecs = 0;
  for (let c0 = 0; c0 < n; c0 += block) {
    throwIfCanceled(options.shouldStop);
    const width = Math.min(block, n - c0);
    x.fill(0);
    for (let c = 0; c < width; c++) x[(c0 + c) * width + c] = 1;
    op.apply(x.subarray(0, n * width), width, y.subarray(0, n * width));
    matvecs++;
    for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) a[i * n + c0 + c] = y[i * width + c];
  }
  if (deflate !== undefined && fCount > 0) {
    // P·A·P with P the projector onto the complement, then push the deflated
    // directions far below the spectrum so they are never selected.
    const p = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let f = 0; f < fCount; f++) s += deflate[i * fCount + f] * deflate[j * fCount + f];
        p[i * n + j] = (i === j ? 1 : 0) - s;
      }
    }
    const pap = multiply(multiply(p, a, n), p, n);
    let norm = 0;
    for (let i = 0; i < n * n; i++) norm = Math.max(norm, Math.abs(pap[i]));
    const shift = 10 * (norm * n + 1);
    for (let i = 0; i < n * n; i++) pap[i] -= shift * (((i % (n + 1)) === 0 ? 1 : 0) - p[i]);
    a.set(pap);
  }
  const eig = symmetricEigen(a, n);
  const values = new Float64Array(count);
  const vectors = new Float64Array(n * count);
  for (let j = 0; j < count; j++) {
    const src = n - 1 - j;
    values[j] = eig.values[src];
    for (let i = 0; i < n; i++) vectors[i * count + j] = eig.vectors[i * n + src];
  }
  return { values, vectors, residuals: new Float64Array(count), converged: true, blockMatvecs: matvecs };
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k];
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += v * b[k * n + j];
    }
  }
  return out;
}
