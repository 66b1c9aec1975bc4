// Loads the scikit-learn reference fixtures written by
// scripts/fixtures/generate_sklearn_fixtures.py.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MetricTriple {
  silhouette: number;
  davies_bouldin: number;
  calinski_harabasz: number;
}

export interface Fixture {
  name: string;
  n: number;
  d: number;
  k: number;
  wellSeparated: boolean;
  data: Float32Array;
  trueLabels: Int32Array;
  kmeansLabels: Int32Array;
  kmeansInertia: number;
  kmeansCenters: Float32Array;
  ariKmeansVsTrue: number;
  metricsTrue: MetricTriple;
  metricsKmeans: MetricTriple;
  noisyLabels: Int32Array;
  metricsNoisyWithoutNoise: MetricTriple;
  sampled: { sampleSize: number; value: number; maxAbsDeviation: number };
}

export const FIXTURE_NAMES = ['blobs', 'iris', 'digits', 'anisotropic', 'blobs64'] as const;

const cache = new Map<string, Fixture>();

export function loadFixture(name: string): Fixture {
  const hit = cache.get(name);
  if (hit) return hit;
  const path = fileURLToPath(new URL(`../fixtures/${name}.json`, import.meta.url));
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const fixture: Fixture = {
    name,
    n: raw.n,
    d: raw.d,
    k: raw.k,
    wellSeparated: raw.well_separated,
    data: Float32Array.from(raw.data),
    trueLabels: Int32Array.from(raw.true_labels),
    kmeansLabels: Int32Array.from(raw.kmeans.labels),
    kmeansInertia: raw.kmeans.inertia,
    kmeansCenters: Float32Array.from(raw.kmeans.centers),
    ariKmeansVsTrue: raw.ari_kmeans_vs_true,
    metricsTrue: raw.metrics_true_labels,
    metricsKmeans: raw.metrics_kmeans_labels,
    noisyLabels: Int32Array.from(raw.noisy_kmeans_labels),
    metricsNoisyWithoutNoise: raw.metrics_noisy_kmeans_labels_without_noise,
    sampled: {
      sampleSize: raw.sampled_silhouette.sample_size,
      value: raw.sampled_silhouette.value,
      maxAbsDeviation: raw.sampled_silhouette.max_abs_deviation_over_100_seeds,
    },
  };
  if (fixture.data.length !== fixture.n * fixture.d) throw new Error(`fixture ${name} is malformed`);
  cache.set(name, fixture);
  return fixture;
}

export function allFixtures(): Fixture[] {
  return FIXTURE_NAMES.map(loadFixture);
}

/** Asserts |actual − expected| ≤ rel·|expected| with a readable message. */
export function assertRelClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected);
  if (!(err <= rel * Math.abs(expected))) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)} > ${rel})`);
  }
}
