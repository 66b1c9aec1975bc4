/**
 * Learns per-feature weights for multi_feature_strategy 'weighted': each candidate weight vector
 * is scored by clustering the weighted concatenation and measuring the chosen quality metric, and
 * the best candidate wins.
 *
 *  - grid_search tries every combination of `max_iterations` evenly spaced values in (0, 1] per
 *    feature (max_iterations^features evaluations).
 *  - bayesian fits a Gaussian process (RBF kernel) to the scores seen so far and evaluates the
 *    candidate with the highest expected improvement among random proposals, `max_iterations`
 *    evaluations in all, the first few drawn at random to seed the model.
 *
 * Only relative weights matter for most methods, so candidates are compared as given and the
 * winner is reported normalised to sum to 1.
 */
import { createRng } from '@centroid/engine';
import type { WeightLearningConfig } from '../domain/cluster-config.ts';

/** Score of one weight vector; higher is better (callers negate metrics where lower is better). */
export type WeightObjective = (weights: number[]) => number;

export interface LearnedWeights {
  weights: number[];
  /** The objective at `weights`, as returned by the objective. */
  score: number;
  evaluations: number;
}

const MIN_WEIGHT = 0.05;
const LENGTH_SCALE = 0.25;
const PROPOSALS = 256;

function* grid(values: number[], features: number): Generator<number[]> {
  const index = new Array<number>(features).fill(0);
  for (;;) {
    yield index.map((i) => values[i]!);
    let f = features - 1;
    while (f >= 0 && ++index[f]! === values.length) index[f--] = 0;
    if (f < 0) return;
  }
}

function normalised(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** Solves K·x = y for a symmetric positive definite K through its Cholesky factor. */
function choleskySolve(K: Float64Array, m: number, y: Float64Array): { solve: (b: Float64Array) => Float64Array; alpha: Float64Array } {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = K[i * m + j]!;
      for (let t = 0; t < j; t++) s -= L[i * m + t]! * L[j * m + t]!;
      L[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * m + j]!;
    }
  }
  const solve = (b: Float64Array): Float64Array => {
    const z = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = b[i]!;
      for (let t = 0; t < i; t++) s -= L[i * m + t]! * z[t]!;
      z[i] = s / L[i * m + i]!;
    }
    const x = new Float64Array(m);
    for (let i = m - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let t = i + 1; t < m; t++) s -= L[t * m + i]! * x[t]!;
      x[i] = s / L[i * m + i]!;
    }
    return x;
  };
  return { solve, alpha: solve(y) };
}

function kernel(a: number[], b: number[]): number {
  let sq = 0;
  for (let f = 0; f < a.length; f++) sq += (a[f]! - b[f]!) ** 2;
  return Math.exp(-sq / (2 * LENGTH_SCALE * LENGTH_SCALE));
}

/** Standard normal pdf and cdf (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function bayesian(objective: WeightObjective, features: number, config: WeightLearningConfig): LearnedWeights {
  const rng = createRng(config.random_state);
  const draw = () => Array.from({ length: features }, () => MIN_WEIGHT + (1 - MIN_WEIGHT) * rng.nextFloat());
  const seen: number[][] = [new Array<number>(features).fill(1)];
  const scores: number[] = [objective(seen[0]!)];
  const initial = Math.min(config.max_iterations, Math.max(3, features + 1));
  while (seen.length < initial) {
    const w = draw();
    seen.push(w);
    scores.push(objective(w));
  }
  while (seen.length < config.max_iterations) {
    const m = seen.length;
    const finite = scores.map((s) => (Number.isFinite(s) ? s : Math.min(...scores.filter(Number.isFinite), 0) - 1));
    const mean = finite.reduce((a, b) => a + b, 0) / m;
    const spread = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / m) || 1;
    const y = Float64Array.from(finite, (s) => (s - mean) / spread);
    const K = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) K[i * m + j] = kernel(seen[i]!, seen[j]!) + (i === j ? 1e-6 : 0);
    const { solve, alpha } = choleskySolve(K, m, y);
    const best = Math.max(...y);
    let choice = draw();
    let bestGain = -Infinity;
    for (let p = 0; p < PROPOSALS; p++) {
      const w = draw();
      const kx = Float64Array.from(seen, (s) => kernel(w, s));
      let mu = 0;
      for (let i = 0; i < m; i++) mu += kx[i]! * alpha[i]!;
      const v = solve(kx);
      let variance = 1;
      for (let i = 0; i < m; i++) variance -= kx[i]! * v[i]!;
      const sigma = Math.sqrt(Math.max(variance, 1e-12));
      const z = (mu - best) / sigma;
      const gain = (mu - best) * normalCdf(z) + sigma * normalPdf(z);
      if (gain > bestGain) {
        bestGain = gain;
        choice = w;
      }
    }
    seen.push(choice);
    scores.push(objective(choice));
  }
  return pickBest(seen, scores);
}

function pickBest(candidates: number[][], scores: number[]): LearnedWeights {
  let best = -1;
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]) && (best < 0 || scores[i]! > scores[best]!)) best = i;
  if (best < 0) throw new RangeError('weight learning found no weights for which the clustering could be scored (every candidate gave fewer than 2 clusters)');
  return { weights: normalised(candidates[best]!), score: scores[best]!, evaluations: scores.length };
}

export function learnFeatureWeights(objective: WeightObjective, features: number, config: WeightLearningConfig): LearnedWeights {
  if (config.method === 'grid_search') {
    const steps = config.max_iterations;
    const values = Array.from({ length: steps }, (_, i) => (i + 1) / steps);
    const candidates: number[][] = [];
    const scores: number[] = [];
    for (const w of grid(values, features)) {
      candidates.push(w);
      scores.push(objective(w));
    }
    return pickBest(candidates, scores);
  }
  return bayesian(objective, features, config);
}
