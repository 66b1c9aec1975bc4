/**
 * The E-step: log-sum-exp normalised responsibilities and the mean
 * log-likelihood (scikit-learn's lower bound), with pruning for the full,
 * diagonal and spherical models.
 *
 * Pruning: a component whose weighted log-density is below the point's best
 * by more than PRUNE_MARGIN nats has responsibility < e^-50 ≈ 2e-22, which
 * changes neither the log-sum-exp nor any M-step sum in float64. To skip such
 * pairs without evaluating them, every (point, component) pair keeps a lower
 * bound ℓ on the Mahalanobis norm √q = ‖(x − μ)ᵀ·U‖. When the M-step moves
 * the mean μ→μ' and the precision factor U→U', the triangle inequality gives
 *     √q' ≥ ‖(x − μ)ᵀ·U'‖ − ‖(μ' − μ)ᵀ·U'‖ ≥ σ_min(U⁻¹·U')·√q − δ,
 * so ℓ' = ρ·ℓ − δ stays a valid bound with ρ ≤ σ_min(U⁻¹·U'), and
 * log N ≤ constant − ½ℓ² decides the skip. For diagonal factors ρ is the
 * smallest ratio U'_j/U_j; for full ones σ_min(B) ≥ |s| − ‖B − s·I‖_F with
 * s = trace(B)/d (exact for a uniform rescaling, close to 1 near
 * convergence). Pairs that are evaluated reset ℓ to the exact value. This is
 * Elkan's idea (triangle-inequality bounds) carried over to Gaussian
 * densities; results equal the unpruned ones to rounding. The tied model is
 * not pruned: it transforms each row once (d²/2) and then pays only d per
 * component, so there is little left to skip.
 */
import { throwIfCanceled } from '../../errors.ts';
import { solveTriangular } from '../../decomposition/cholesky.ts';
import { createBlockScratch, multiplyRow, pairQuadraticForm, quadraticFormsBlock } from './log-density.ts';
import type { BlockScratch, LogDensity } from './log-density.ts';
import type { Responsibilities } from './responsibilities.ts';

export const PRUNE_MARGIN = 50;
/** Bounds are float32 n×k; beyond this many entries (256 MiB) the E-step runs unpruned. */
const MAX_BOUNDS = 1 << 26;
const ROW_BLOCK = 64;
/** Shrinks a bound before float32 rounding so rounding can never push it above the exact value. */
const ROUND_DOWN = 1 - 2 ** -22;
/**
 * When a pruned pass still evaluates more than this fraction of the pairs
 * (heavily overlapping components), the blocked unpruned kernel is cheaper;
 * pruning is retried every PRUNE_RETRY passes as the fit settles.
 */
const PRUNE_WORTHWHILE = 0.5;
const PRUNE_RETRY = 4;

export class EStep {
  /** Argmax component of every row after the last run (first index on ties, as numpy's argmax). */
  readonly labels: Int32Array;
  private readonly bounds: Float32Array | null;
  private boundsValid = false;
  private refMeans: Float64Array;
  private refPrecChol: Float64Array;
  private refUpper = true;
  private prunedFraction = 0;
  private passesSincePruned = 0;
  private readonly q: Float64Array;
  private readonly lp: Float64Array;
  private readonly candidates: Int32Array;
  private readonly candidateLp: Float64Array;
  private readonly scratch: BlockScratch;
  private readonly pairScratch: Float64Array;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    /** False for 'tied' (see above) and for reference runs. */
    prune: boolean,
  ) {
    this.labels = new Int32Array(n);
    this.bounds = prune && k > 1 && n * k <= MAX_BOUNDS ? new Float32Array(n * k) : null;
    this.refMeans = new Float64Array(0);
    this.refPrecChol = new Float64Array(0);
    this.q = new Float64Array(ROW_BLOCK * k);
    this.lp = new Float64Array(ROW_BLOCK * k);
    this.candidates = new Int32Array(k);
    this.candidateLp = new Float64Array(k);
    this.scratch = createBlockScratch(ROW_BLOCK, d);
    this.pairScratch = new Float64Array(2 * d);
  }

  /** Forget the bounds (a new initialisation starts unrelated parameters). */
  invalidate(): void {
    this.boundsValid = false;
    this.prunedFraction = 0;
  }

  /** Fill `resp` for the parameters in `dens`; returns the mean over rows of log Σ_c w_c·N(x | c). */
  run(dens: LogDensity, resp: Responsibilities, shouldStop?: () => boolean): number {
    resp.reset();
    const worthPruning = this.prunedFraction <= PRUNE_WORTHWHILE || this.passesSincePruned >= PRUNE_RETRY;
    let total: number;
    if (this.bounds !== null && this.boundsValid && worthPruning) {
      total = this.runPruned(dens, resp, shouldStop);
      this.passesSincePruned = 0;
    } else {
      total = this.runFull(dens, resp, shouldStop);
      this.passesSincePruned++;
    }
    if (this.bounds !== null) {
      this.refMeans = Float64Array.from(dens.means);
      this.refPrecChol = Float64Array.from(dens.precChol);
      this.refUpper = dens.upper;
      this.boundsValid = true;
    }
    return total / this.n;
  }

  private runFull(dens: LogDensity, resp: Responsibilities, shouldStop?: () => boolean): number {
    const { data, n, k, q, lp, labels, bounds } = this;
    const sum = new CompensatedSum();
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      if ((r0 & 16383) === 0) throwIfCanceled(shouldStop);
      const rows = Math.min(ROW_BLOCK, n - r0);
      quadraticFormsBlock(dens, data, r0, rows, q, this.scratch);
      for (let r = 0; r < rows; r++) {
        const i = r0 + r;
        const o = r * k;
        let best = 0;
        let bestLp = -Infinity;
        for (let c = 0; c < k; c++) {
          const v = dens.constant[c] - 0.5 * q[o + c];
          lp[o + c] = v;
          if (v > bestLp) {
            bestLp = v;
            best = c;
          }
          if (bounds !== null) bounds[i * k + c] = Math.sqrt(q[o + c]) * ROUND_DOWN;
        }
        labels[i] = best;
        sum.add(emitRow(lp, o, null, k, bestLp, resp));
      }
    }
    return sum.value();
  }

  private runPruned(dens: LogDensity, resp: Responsibilities, shouldStop?: () => boolean): number {
    const { data, n, k, d, labels, candidates, candidateLp, pairScratch } = this;
    const bounds = this.bounds!;
    const { rho, delta } =
      dens.type === 'full'
        ? fullBoundShrinkage(dens, this.refMeans, this.refPrecChol, this.refUpper, k, d)
        : diagonalBoundShrinkage(dens, this.refMeans, this.refPrecChol, k, d);
    const constant = dens.constant;
    const sum = new CompensatedSum();
    let evaluated = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 16383) === 0) throwIfCanceled(shouldStop);
      const bo = i * k;
      const previous = labels[i];
      const qa = pairQuadraticForm(dens, data, i, previous, pairScratch);
      bounds[bo + previous] = Math.sqrt(qa) * ROUND_DOWN;
      let bestLp = constant[previous] - 0.5 * qa;
      let count = 1;
      candidates[0] = previous;
      candidateLp[0] = bestLp;
      for (let c = 0; c < k; c++) {
        if (c === previous) continue;
        let l = rho[c] * bounds[bo + c] - delta[c];
        if (l < 0) l = 0;
        if (constant[c] - 0.5 * l * l < bestLp - PRUNE_MARGIN) {
          bounds[bo + c] = l * ROUND_DOWN;
          continue;
        }
        const qc = pairQuadraticForm(dens, data, i, c, pairScratch);
        bounds[bo + c] = Math.sqrt(qc) * ROUND_DOWN;
        const v = constant[c] - 0.5 * qc;
        candidates[count] = c;
        candidateLp[count] = v;
        count++;
        if (v > bestLp) bestLp = v;
      }
      let best = -1;
      for (let t = 0; t < count; t++) {
        const c = candidates[t];
        if (candidateLp[t] === bestLp && (best < 0 || c < best)) best = c;
      }
      labels[i] = best < 0 ? previous : best;
      evaluated += count;
      sum.add(emitRow(candidateLp, 0, candidates, count, bestLp, resp));
    }
    this.prunedFraction = evaluated / (n * k);
    return sum.value();
  }
}

/**
 * Log-sum-exp of one row's log-densities (values[o..o+count), components
 * `ids` or 0..count-1) and its responsibilities, dropping those below
 * e^-PRUNE_MARGIN of the largest. Returns log p(x).
 */
function emitRow(
  values: Float64Array,
  o: number,
  ids: Int32Array | null,
  count: number,
  max: number,
  resp: Responsibilities,
): number {
  // scipy's logsumexp shifts by the maximum unless it is infinite.
  const shift = Number.isFinite(max) ? max : 0;
  let s = 0;
  for (let t = 0; t < count; t++) s += Math.exp(values[o + t] - shift);
  const lse = Math.log(s) + shift;
  const cut = max - PRUNE_MARGIN;
  for (let t = 0; t < count; t++) {
    const v = values[o + t];
    if (!(v >= cut)) continue;
    const r = Math.exp(v - lse);
    if (r > 0) resp.push(ids === null ? t : ids[t], r);
  }
  resp.endRow();
  return lse;
}

/** ρ_c = min_j U'_cj / U_cj and δ_c = ‖U'_c·(μ'_c − μ_c)‖ between the bounds' parameters and the new ones. */
function diagonalBoundShrinkage(
  dens: LogDensity,
  refMeans: Float64Array,
  refPrecChol: Float64Array,
  k: number,
  d: number,
): { rho: Float64Array; delta: Float64Array } {
  const rho = new Float64Array(k);
  const delta = new Float64Array(k);
  const spherical = dens.type === 'spherical';
  for (let c = 0; c < k; c++) {
    let minRatio = Infinity;
    let shift = 0;
    for (let j = 0; j < d; j++) {
      const at = spherical ? c : c * d + j;
      const s = dens.precChol[at];
      const ratio = s / refPrecChol[at];
      if (ratio < minRatio) minRatio = ratio;
      const t = s * (dens.means[c * d + j] - refMeans[c * d + j]);
      shift += t * t;
    }
    // Guard the bound itself against rounding of ρ and δ.
    rho[c] = minRatio * (1 - 1e-12);
    delta[c] = Math.sqrt(shift) * (1 + 1e-12);
  }
  return { rho, delta };
}

/**
 * ρ_c ≤ σ_min(B) with B = U_c⁻¹·U'_c (see the header) and δ_c = ‖(μ'_c − μ_c)ᵀ·U'_c‖.
 * The old factor may be lower triangular (a user's precisions_init), so B is
 * solved as a general matrix.
 */
function fullBoundShrinkage(
  dens: LogDensity,
  refMeans: Float64Array,
  refPrecChol: Float64Array,
  refUpper: boolean,
  k: number,
  d: number,
): { rho: Float64Array; delta: Float64Array } {
  const dd = d * d;
  const rho = new Float64Array(k);
  const delta = new Float64Array(k);
  const b = new Float64Array(dd);
  const shift = new Float64Array(2 * d);
  for (let c = 0; c < k; c++) {
    solveTriangular(refPrecChol.subarray(c * dd, (c + 1) * dd), d, refUpper, dens.precChol.subarray(c * dd, (c + 1) * dd), b);
    let trace = 0;
    for (let j = 0; j < d; j++) trace += b[j * d + j];
    const s = trace / d;
    let off = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const v = b[i * d + j] - (i === j ? s : 0);
        off += v * v;
      }
    }
    const bound = Math.abs(s) - Math.sqrt(off);
    rho[c] = Number.isFinite(bound) && bound > 0 ? bound * (1 - 1e-9) : 0;
    for (let j = 0; j < d; j++) shift[j] = dens.means[c * d + j] - refMeans[c * d + j];
    multiplyRow(shift, 0, dens.precChol, c * dd, d, dens.upper, shift, d);
    let norm = 0;
    for (let j = d; j < 2 * d; j++) norm += shift[j] * shift[j];
    delta[c] = Math.sqrt(norm) * (1 + 1e-9);
  }
  return { rho, delta };
}

/** Neumaier summation: the mean log-likelihood is compared to 1e-6 relative, over up to millions of rows. */
class CompensatedSum {
  private s = 0;
  private c = 0;

  add(v: number): void {
    const t = this.s + v;
    if (Math.abs(this.s) >= Math.abs(v)) this.c += this.s - t + v;
    else this.c += v - t + this.s;
    this.s = t;
  }

  value(): number {
    return this.s + this.c;
  }
}
