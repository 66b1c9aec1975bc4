// Ground truth on well-separated data, for the exact paths (R fixtures marked
// well separated) and for the approximate high-dimensional path, which is
// also held against the exact result on the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAlgorithm, hdbscan, mutualReachabilityTree, resolveHdbscanOptions } from '../src/cluster/hdbscan/hdbscan.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { createRng } from '../src/rng.ts';
import { generatedRows, HDBSCAN_FIXTURE_NAMES, loadHdbscanFixture } from './fixtures/hdbscan/fixtures.ts';

for (const name of [...HDBSCAN_FIXTURE_NAMES, 'generated20k']) {
  const fixture = loadHdbscanFixture(name);
  if (!fixture.wellSeparated) continue;
  for (const minClusterSize of [...new Set(fixture.runs.map((r) => r.minPts))]) {
    test(`${name}, min_cluster_size ${minClusterSize}: ARI ≥ 0.95 against the ground truth`, () => {
      const data = fixture.data ?? generatedRows(fixture.n, fixture.d, 30, 20240601).data;
      const result = hdbscan(data, fixture.n, fixture.d, { minClusterSize });
      const ari = adjustedRandIndex(result.labels, fixture.trueLabels);
      assert.ok(ari >= 0.95, `ARI ${ari}`);
    });
  }
}

/**
 * Embedding-like rows: `k` random unit directions in d dimensions, each row
 * its direction plus isotropic noise of total norm ≈ `spread`, then scaled to
 * unit length (the shape of the benchmark's 768-dimensional data set).
 */
function sphereData(n: number, d: number, k: number, spread: number, seed: number): { data: Float32Array; truth: Int32Array } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const directions = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (directions[c * d + j] = gauss()) ** 2;
    for (let j = 0; j < d; j++) directions[c * d + j] /= Math.sqrt(norm);
  }
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    truth[i] = c;
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (row[j] = directions[c * d + j] + (spread / Math.sqrt(d)) * gauss()) ** 2;
    for (let j = 0; j < d; j++) data[i * d + j] = row[j] / Math.sqrt(norm);
  }
  return { data, truth };
}

const SPHERE = sphereData(2400, 96, 8, 1, 7);

// Under L1 two of the eight directions merge even on the exact path (ARI 0.87
// against the truth), so manhattan is only held against the exact result.
for (const metric of ['euclidean', 'cosine', 'manhattan'] as const) {
  test(`approximate path (${metric}): ARI ≥ 0.95 against the exact path${metric === 'manhattan' ? '' : ' and the ground truth'}`, () => {
    const { data, truth } = SPHERE;
    const options = { minClusterSize: 30, minSamples: 10, metric };
    const approximate = hdbscan(data, 2400, 96, { ...options, algorithm: 'approximate' });
    const exact = hdbscan(data, 2400, 96, { ...options, algorithm: 'exact' });
    assert.equal(approximate.algorithm, 'approximate');
    assert.equal(exact.algorithm, 'exact');
    const vsTruth = adjustedRandIndex(approximate.labels, truth);
    const vsExact = adjustedRandIndex(approximate.labels, exact.labels);
    if (metric !== 'manhattan') assert.ok(vsTruth >= 0.95, `approximate vs truth ${vsTruth}`);
    assert.ok(vsExact >= 0.95, `approximate vs exact ${vsExact}`);
  });
}

test('approximate core distances and tree weight never undercut the exact ones', () => {
  // Approximate neighbours are real rows, so the k-th one found is at least as
  // far as the true k-th; a spanning tree on weights that are each at least
  // the exact ones cannot weigh less than the exact minimum spanning tree.
  const { data } = SPHERE;
  const exact = mutualReachabilityTree(data, 2400, 96, resolveHdbscanOptions({ minSamples: 10, algorithm: 'exact' }), undefined);
  const approximate = mutualReachabilityTree(data, 2400, 96, resolveHdbscanOptions({ minSamples: 10, algorithm: 'approximate' }), undefined);
  let excess = 0;
  for (let i = 0; i < 2400; i++) {
    assert.ok(approximate.coreDistances[i] >= exact.coreDistances[i] * (1 - 1e-12), `row ${i}`);
    excess += approximate.coreDistances[i] / exact.coreDistances[i] - 1;
  }
  const total = (w: Float64Array) => w.reduce((a, b) => a + b, 0);
  assert.ok(total(approximate.mst.weight) >= total(exact.mst.weight) * (1 - 1e-12));
  // And the approximation stays close: core distances 5% too large on average at most.
  assert.ok(excess / 2400 < 0.05, `mean core-distance excess ${excess / 2400}`);
});

test("'auto' takes the approximate path only for large high-dimensional inputs", () => {
  assert.equal(chooseAlgorithm(1_000_000, 16, 'auto'), 'exact');
  assert.equal(chooseAlgorithm(1000, 768, 'auto'), 'exact');
  assert.equal(chooseAlgorithm(2000, 768, 'auto'), 'approximate');
  assert.equal(chooseAlgorithm(100_000, 17, 'auto'), 'approximate');
  assert.equal(chooseAlgorithm(100_000, 768, 'exact'), 'exact');
  assert.equal(chooseAlgorithm(50, 2, 'approximate'), 'approximate');
  const small = sphereData(300, 96, 4, 1, 3);
  assert.equal(hdbscan(small.data, 300, 96, { minClusterSize: 10 }).algorithm, 'exact');
});
