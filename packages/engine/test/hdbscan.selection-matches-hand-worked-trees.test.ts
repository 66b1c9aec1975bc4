// Condensing, stability, EOM / leaf selection, allow_single_cluster,
// cluster_selection_epsilon, max_cluster_size, labels and probabilities on
// spanning trees small enough to work out by hand (scikit-learn ≥ 1.3 rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStabilities, condenseTree, type CondensedTree } from '../src/cluster/hdbscan/condensed-tree.ts';
import { labelPoints, membershipProbabilities, selectClusters, type SelectionOptions } from '../src/cluster/hdbscan/selection.ts';
import { singleLinkageFromMst, type SpanningTree } from '../src/cluster/hdbscan/single-linkage.ts';
import { hdbscan } from '../src/cluster/hdbscan/hdbscan.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';

function chainTree(values: number[], links: [number, number][]): SpanningTree {
  return {
    from: Int32Array.from(links.map(([a]) => a)),
    to: Int32Array.from(links.map(([, b]) => b)),
    weight: Float64Array.from(links.map(([a, b]) => Math.abs(values[a] - values[b]))),
  };
}

function rowsOf(tree: CondensedTree): string[] {
  const rows: string[] = [];
  for (let r = 0; r < tree.parent.length; r++) {
    rows.push(`${tree.parent[r]}->${tree.child[r]} λ=${+tree.lambda[r].toFixed(6)} size=${tree.childSize[r]}`);
  }
  return rows.sort();
}

function flat(tree: CondensedTree, options: Partial<SelectionOptions>) {
  const resolved: SelectionOptions = {
    method: 'eom',
    allowSingleCluster: false,
    clusterSelectionEpsilon: 0,
    maxClusterSize: Infinity,
    ...options,
  };
  const selected = selectClusters(tree, clusterStabilities(tree), resolved);
  const labels = labelPoints(tree, selected, resolved.allowSingleCluster, resolved.clusterSelectionEpsilon);
  return { selected: Array.from(selected), labels: Array.from(labels), probabilities: Array.from(membershipProbabilities(tree, selected, labels)) };
}

/*
 * Ten points on a line, with min_samples = 1 so that mutual reachability is
 * the plain distance:
 *   P = {0, 1, 2}        rows 0–2
 *   Q = {3.5, 4.5, 5.5}  rows 3–5   (1.5 from P)
 *   R = {100, 101, 102, 104} rows 6–9 (94.5 from Q; 104 sits 2 away)
 * The spanning tree lists P–Q with P first and Q–R with the P∪Q side first,
 * so the left child of every split is the P side.
 *
 * Top-down with min_cluster_size = 3:
 *   at 94.5 the root (id 10) splits into P∪Q (6 rows, id 11) and R (4, id 12), λ = 1/94.5;
 *   at 1.5  P∪Q splits into P (id 13) and Q (id 14), both of 3 rows, λ = 2/3;
 *   at 1    P and Q fall apart into pieces below 3 rows: their points leave at λ = 1;
 *   in R, 104 leaves at distance 2 (λ = 1/2), the others at λ = 1.
 * Stabilities Σ (λ − λ_birth) × size:
 *   P = Q = 3 (1 − 2/3) = 1;   P∪Q = 6 (2/3 − 1/94.5) ≈ 3.937;
 *   R = 3 (1 − 1/94.5) + (1/2 − 1/94.5) ≈ 3.458.
 */
const LINE = [0, 1, 2, 3.5, 4.5, 5.5, 100, 101, 102, 104];
const LINE_TREE = chainTree(LINE, [
  [0, 1],
  [1, 2],
  [3, 4],
  [4, 5],
  [2, 3],
  [6, 7],
  [7, 8],
  [8, 9],
  [5, 6],
]);
const LINE_CONDENSED = condenseTree(singleLinkageFromMst(LINE_TREE, LINE.length), 3);

test('the condensed tree of the line example has the hand-derived rows', () => {
  const expected = [
    `10->11 λ=${+(1 / 94.5).toFixed(6)} size=6`,
    `10->12 λ=${+(1 / 94.5).toFixed(6)} size=4`,
    `11->13 λ=${+(2 / 3).toFixed(6)} size=3`,
    `11->14 λ=${+(2 / 3).toFixed(6)} size=3`,
    '13->0 λ=1 size=1',
    '13->1 λ=1 size=1',
    '13->2 λ=1 size=1',
    '14->3 λ=1 size=1',
    '14->4 λ=1 size=1',
    '14->5 λ=1 size=1',
    '12->6 λ=1 size=1',
    '12->7 λ=1 size=1',
    '12->8 λ=1 size=1',
    '12->9 λ=0.5 size=1',
  ].sort();
  assert.deepEqual(rowsOf(LINE_CONDENSED), expected);
  const stability = clusterStabilities(LINE_CONDENSED);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(stability[1], 6 * (2 / 3 - 1 / 94.5));
  close(stability[2], 3 * (1 - 1 / 94.5) + (0.5 - 1 / 94.5));
  close(stability[3], 1);
  close(stability[4], 1);
});

test('EOM keeps P∪Q whole because 3.94 beats P + Q = 2, while leaf selection splits it', () => {
  const eom = flat(LINE_CONDENSED, { method: 'eom' });
  assert.deepEqual(eom.selected, [11, 12]);
  assert.deepEqual(eom.labels, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  const leaf = flat(LINE_CONDENSED, { method: 'leaf' });
  assert.deepEqual(leaf.selected, [12, 13, 14]);
  // Labels follow increasing cluster id: R (12) → 0, P (13) → 1, Q (14) → 2.
  assert.deepEqual(leaf.labels, [1, 1, 1, 2, 2, 2, 0, 0, 0, 0]);
});

test('probabilities divide the λ a point leaves at by the largest λ of its selected cluster', () => {
  // EOM: P∪Q's own rows are its two children at λ = 2/3, so every P or Q point
  // (leaving at λ = 1 from a child) is capped at 2/3 / (2/3) = 1. R's largest
  // row λ is 1, and 104 left at 1/2.
  assert.deepEqual(flat(LINE_CONDENSED, { method: 'eom' }).probabilities, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5]);
});

test('max_cluster_size 5 forbids P∪Q (6 rows), so EOM falls back to P and Q', () => {
  const capped = flat(LINE_CONDENSED, { maxClusterSize: 5 });
  assert.deepEqual(capped.selected, [12, 13, 14]);
});

test('max_cluster_size 3 also forbids R (4 rows, a leaf), whose points become noise', () => {
  // A leaf over the cap gets stability 0 and is not selected; nothing above it
  // may be selected either (the root is excluded), so R is left unclustered.
  const capped = flat(LINE_CONDENSED, { maxClusterSize: 3 });
  assert.deepEqual(capped.selected, [13, 14]);
  assert.deepEqual(capped.labels, [0, 0, 0, 1, 1, 1, -1, -1, -1, -1]);
  assert.deepEqual(flat(LINE_CONDENSED, { method: 'leaf', maxClusterSize: 3 }).selected, [12, 13, 14], 'leaf ignores the cap');
});

test('cluster_selection_epsilon merges leaves born below it into the ancestor alive at it', () => {
  // P and Q are born at distance 1.5. With ε = 2 both are replaced by P∪Q
  // (born at 94.5 > 2); R (born at 94.5) stays. With ε = 1.2 nothing changes.
  assert.deepEqual(flat(LINE_CONDENSED, { method: 'leaf', clusterSelectionEpsilon: 2 }).selected, [11, 12]);
  assert.deepEqual(flat(LINE_CONDENSED, { method: 'leaf', clusterSelectionEpsilon: 1.2 }).selected, [12, 13, 14]);
  // ε above every birth: the climb stops below the root unless single clusters are allowed.
  assert.deepEqual(flat(LINE_CONDENSED, { clusterSelectionEpsilon: 100 }).selected, [11, 12]);
  const single = flat(LINE_CONDENSED, { clusterSelectionEpsilon: 100, allowSingleCluster: true });
  assert.deepEqual(single.selected, [10]);
  // The root alone keeps the points that leave at λ ≥ 1/ε = 0.01: all of them.
  assert.deepEqual(single.labels, new Array(10).fill(0));
});

/*
 * A chain whose gaps grow (1, 1.5, 2, 2.5) never splits into two groups of
 * min_cluster_size = 2: points peel off one at a time, 7 at λ = 1/2.5, 4.5 at
 * 1/2, 2.5 at 1/1.5, and 0 and 1 together at λ = 1. Only the root exists.
 */
const CHAIN = [0, 1, 2.5, 4.5, 7];
const CHAIN_CONDENSED = condenseTree(
  singleLinkageFromMst(chainTree(CHAIN, [[0, 1], [1, 2], [2, 3], [3, 4]]), CHAIN.length),
  2,
);

test('without allow_single_cluster a tree with no split is all noise', () => {
  assert.equal(CHAIN_CONDENSED.clusterCount, 1);
  assert.deepEqual(flat(CHAIN_CONDENSED, {}).labels, [-1, -1, -1, -1, -1]);
  assert.deepEqual(flat(CHAIN_CONDENSED, { method: 'leaf' }).labels, [-1, -1, -1, -1, -1]);
});

test('allow_single_cluster selects the root and, like scikit-learn, keeps only the points that stay to its last λ', () => {
  const single = flat(CHAIN_CONDENSED, { allowSingleCluster: true });
  assert.deepEqual(single.selected, [5]);
  // The root's largest row λ is 1 (points 0 and 1); the others left earlier.
  assert.deepEqual(single.labels, [0, 0, -1, -1, -1]);
  assert.deepEqual(single.probabilities, [1, 1, 0, 0, 0]);
  // With ε = 3 the threshold becomes λ ≥ 1/3 instead, which every point meets.
  assert.deepEqual(flat(CHAIN_CONDENSED, { allowSingleCluster: true, clusterSelectionEpsilon: 3 }).labels, [0, 0, 0, 0, 0]);
});

test('allow_single_cluster does not override children that are more stable than the root', () => {
  // Root stability = 10 rows × (1/94.5 − 0) ≈ 0.106, far below P∪Q + R.
  assert.deepEqual(flat(LINE_CONDENSED, { allowSingleCluster: true }).selected, [11, 12]);
});

test('the full pipeline on the line example finds the same partitions', () => {
  const data = Float32Array.from(LINE);
  const eom = hdbscan(data, LINE.length, 1, { minClusterSize: 3, minSamples: 1 });
  assert.equal(adjustedRandIndex(eom.labels, Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])), 1);
  assert.deepEqual(Array.from(eom.probabilities), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5]);
  const leaf = hdbscan(data, LINE.length, 1, { minClusterSize: 3, minSamples: 1, clusterSelectionMethod: 'leaf' });
  assert.equal(adjustedRandIndex(leaf.labels, Int32Array.from([1, 1, 1, 2, 2, 2, 0, 0, 0, 0])), 1);
});

test('a split at distance 0 (duplicated rows) gives λ = ∞ and probability 1', () => {
  // Rows 0–2 coincide, rows 3–5 coincide, 10 apart; min_cluster_size 3.
  const tree = condenseTree(
    singleLinkageFromMst(
      { from: Int32Array.from([0, 1, 3, 4, 2]), to: Int32Array.from([1, 2, 4, 5, 3]), weight: Float64Array.from([0, 0, 0, 0, 10]) },
      6,
    ),
    3,
  );
  const result = flat(tree, {});
  assert.deepEqual(result.selected, [7, 8]);
  assert.deepEqual(result.labels, [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(result.probabilities, [1, 1, 1, 1, 1, 1]);
});
