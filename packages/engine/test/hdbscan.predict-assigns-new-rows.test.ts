// hdbscanApproximatePredict: the hdbscan library's approximate_predict rule,
// checked by hand on a line and, for each neighbour search it can use
// (kd-tree, all pairs, approximate index), by fitting a seeded half of a
// labelled data set and predicting the other half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hdbscan, hdbscanApproximatePredict } from '../src/cluster/hdbscan/index.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { createRng, samplePermutationPrefix } from '../src/rng.ts';
import { loadHdbscanFixture } from './fixtures/hdbscan/fixtures.ts';

/*
 * The line of hdbscan.selection-matches-hand-worked-trees: P = {0, 1, 2},
 * Q = {3.5, 4.5, 5.5}, R = {100, 101, 102, 104}, min_cluster_size 3. EOM
 * selects P∪Q (born at distance 94.5, its largest row λ = 2/3, the birth of
 * P and Q) and R (born at 94.5, largest row λ = 1). With min_samples = 1
 * every core distance is 0, so mutual reachability is the plain distance;
 * with min_samples = 2 the core distances are 1 everywhere except 104 (2),
 * which leaves every tree weight unchanged.
 */
const LINE = Float32Array.from([0, 1, 2, 3.5, 4.5, 5.5, 100, 101, 102, 104]);

test('new rows on the line get the labels and strengths worked out by hand (min_samples 1)', () => {
  const fit = hdbscan(LINE, 10, 1, { minClusterSize: 3, minSamples: 1 });
  const pq = fit.labels[0];
  const r = fit.labels[6];
  const { labels, probabilities } = hdbscanApproximatePredict(fit, LINE, 10, 1, Float32Array.from([1.5, 50, 200, 103]), 4);
  // 1.5: nearest fitted rows 1 and 2 at 0.5, λ = 2; they left P at λ = 1 < 2,
  //      so it stays in P, inside the selected P∪Q; strength min(2, 2/3)/(2/3) = 1.
  // 50:  nearest is 5.5 at 44.5, λ = 1/44.5. 5.5 left Q at λ = 1 > 1/44.5, so it
  //      climbs: Q was born at λ = 2/3 ≥ 1/44.5 → P∪Q, born at 1/94.5 < 1/44.5 → stop.
  //      Strength (1/44.5)/(2/3) = 1.5/44.5.
  // 200: nearest is 104 at 96, λ = 1/96; R was born at 1/94.5 ≥ 1/96 → the root,
  //      which is not selected → noise.
  // 103: 102 and 104 at 1, λ = 1; R's largest λ is 1 → strength 1.
  assert.deepEqual(Array.from(labels), [pq, pq, -1, r]);
  const expected = [1, 1.5 / 44.5, 0, 1];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(probabilities[i] - expected[i]) < 1e-12, `${i}: ${probabilities[i]}`);
});

test('a new row uses its (min_samples − 1)-th nearest fitted row as core distance (min_samples 2)', () => {
  const fit = hdbscan(LINE, 10, 1, { minClusterSize: 3, minSamples: 2 });
  const { labels, probabilities } = hdbscanApproximatePredict(fit, LINE, 10, 1, Float32Array.from([1.5, 200]), 2);
  // 1.5: core = 0.5 (nearest fitted row); towards 1 or 2: max(0.5, 1, 0.5) = 1 → λ = 1 → P∪Q, strength 1.
  // 200: core = 96 (distance to 104); max(96, 2, 96) = 96 → λ = 1/96 → root → noise.
  assert.deepEqual(Array.from(labels), [fit.labels[0], -1]);
  assert.deepEqual(Array.from(probabilities), [1, 0]);
});

function split(data: Float32Array, n: number, d: number, seed: number) {
  const order = samplePermutationPrefix(createRng(seed), n, n);
  const half = n >> 1;
  const take = (rows: Int32Array) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => out.set(data.subarray(r * d, r * d + d), i * d));
    return out;
  };
  return { fitRows: order.slice(0, half), restRows: order.slice(half), take };
}

function sampleFitThenPredict(data: Float32Array, n: number, d: number, truth: Int32Array, options: Parameters<typeof hdbscan>[3]) {
  const { fitRows, restRows, take } = split(data, n, d, 1);
  const fitData = take(fitRows);
  const fit = hdbscan(fitData, fitRows.length, d, options);
  const predicted = hdbscanApproximatePredict(fit, fitData, fitRows.length, d, take(restRows), restRows.length);
  const labels = new Int32Array(n);
  fitRows.forEach((r, i) => (labels[r] = fit.labels[i]));
  restRows.forEach((r, i) => (labels[r] = predicted.labels[i]));
  for (const p of predicted.probabilities) assert.ok(p >= 0 && p <= 1);
  return { fit, ari: adjustedRandIndex(labels, truth) };
}

test('kd-tree neighbours: fitting half of the blobs fixture and predicting the rest recovers the truth', () => {
  const f = loadHdbscanFixture('blobs');
  const { ari } = sampleFitThenPredict(f.data!, f.n, f.d, f.trueLabels, { minClusterSize: 10 });
  assert.ok(ari >= 0.95, `ARI ${ari}`);
});

/** Unit-length rows around k random directions (embedding-like), as in hdbscan.recovers-well-separated-clusters. */
function sphereData(n: number, d: number, k: number, spread: number, seed: number): { data: Float32Array; truth: Int32Array } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const directions = Float64Array.from({ length: k * d }, gauss);
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    truth[i] = c;
    let norm = 0;
    const row = Float64Array.from({ length: d }, (_, j) => directions[c * d + j] / Math.sqrt(d) + (spread * gauss()) / Math.sqrt(d));
    for (const v of row) norm += v * v;
    for (let j = 0; j < d; j++) data[i * d + j] = row[j] / Math.sqrt(norm);
  }
  return { data, truth };
}

test('all-pairs neighbours (fit of 1000 × 96): the predicted half recovers the truth', () => {
  const { data, truth } = sphereData(2000, 96, 5, 0.7, 4);
  const { fit, ari } = sampleFitThenPredict(data, 2000, 96, truth, { minClusterSize: 20, metric: 'cosine' });
  assert.equal(fit.algorithm, 'exact');
  assert.ok(ari >= 0.95, `ARI ${ari}`);
});

test('approximate-index neighbours (fit of 4000 × 128): the predicted half recovers the truth', () => {
  const { data, truth } = sphereData(8000, 128, 8, 1, 5);
  const { fit, ari } = sampleFitThenPredict(data, 8000, 128, truth, { minClusterSize: 40, minSamples: 10 });
  assert.equal(fit.algorithm, 'approximate');
  assert.ok(ari >= 0.95, `ARI ${ari}`);
});

test('predict refuses rows that do not match the fit', () => {
  const fit = hdbscan(LINE, 10, 1, { minClusterSize: 3 });
  assert.throws(() => hdbscanApproximatePredict(fit, LINE.subarray(0, 9), 9, 1, LINE, 10), /the fit has 10 rows but fitData has 9/);
  const cosineFit = hdbscan(Float32Array.from([1, 0, 1, 0.1, 0, 1, 0.1, 1]), 4, 2, { minClusterSize: 2, metric: 'cosine' });
  assert.throws(
    () => hdbscanApproximatePredict(cosineFit, Float32Array.from([1, 0, 1, 0.1, 0, 1, 0.1, 1]), 4, 2, Float32Array.from([0, 0]), 1),
    /metric 'cosine' is undefined for all-zero rows, but row 0 of data is all zeros/,
  );
});
