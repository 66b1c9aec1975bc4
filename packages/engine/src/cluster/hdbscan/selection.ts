/**
 * Flat clusterings from a condensed tree, following scikit-learn ≥ 1.3's
 * `_get_clusters` / `do_labelling` / `get_probabilities` (which copy the
 * hdbscan library): excess-of-mass or leaf selection, the
 * `cluster_selection_epsilon` merge of Malzer & Baum (2019), the
 * `max_cluster_size` cap (EOM only), and membership strengths.
 */
import { clusterBirths, clusterDeaths, type CondensedTree } from './condensed-tree.ts';

export interface SelectionOptions {
  method: 'eom' | 'leaf';
  allowSingleCluster: boolean;
  clusterSelectionEpsilon: number;
  /** Infinity for no cap. */
  maxClusterSize: number;
}

/** Parent cluster id of every cluster (−1 for the root), indexed by id − n. */
export function clusterParents(tree: CondensedTree): Int32Array {
  const parents = new Int32Array(tree.clusterCount).fill(-1);
  for (let r = 0; r < tree.child.length; r++) {
    const c = tree.child[r];
    if (c >= tree.n) parents[c - tree.n] = tree.parent[r];
  }
  return parents;
}

/** Selected cluster ids in increasing order; label i is the i-th of them. */
export function selectClusters(tree: CondensedTree, stability: Float64Array, options: SelectionOptions): Int32Array {
  const { n, clusterCount } = tree;
  const root = n;
  const parents = clusterParents(tree);
  const hasClusterChildren = new Uint8Array(clusterCount);
  const size = new Float64Array(clusterCount);
  for (let r = 0; r < tree.child.length; r++) {
    const c = tree.child[r];
    if (c >= n) {
      hasClusterChildren[tree.parent[r] - n] = 1;
      size[c - n] = tree.childSize[r];
    }
  }
  if (options.allowSingleCluster) {
    // scikit-learn sizes the root by its child clusters only.
    for (let i = 1; i < clusterCount; i++) if (parents[i] === root) size[0] += size[i];
  }

  let selected: number[];
  if (options.method === 'eom') {
    const subtree = Float64Array.from(stability);
    const chosen = new Uint8Array(clusterCount);
    const childSum = new Float64Array(clusterCount);
    const lowest = options.allowSingleCluster ? 0 : 1;
    // Ids grow with depth, so walking them downwards visits children first.
    for (let i = clusterCount - 1; i >= lowest; i--) {
      if (childSum[i] > subtree[i] || size[i] > options.maxClusterSize) {
        subtree[i] = childSum[i];
      } else {
        chosen[i] = 1;
      }
      if (i > 0) childSum[parents[i] - n] += subtree[i];
    }
    // A cluster chosen in its own step survives unless an ancestor was chosen later.
    const ancestorChosen = new Uint8Array(clusterCount);
    selected = [];
    for (let i = 0; i < clusterCount; i++) {
      if (i > 0) {
        const p = parents[i] - n;
        ancestorChosen[i] = ancestorChosen[p] | chosen[p];
      }
      if (chosen[i] && !ancestorChosen[i]) selected.push(n + i);
    }
    if (options.clusterSelectionEpsilon !== 0 && clusterCount > 1) {
      if (selected.length === 1 && selected[0] === root) {
        if (!options.allowSingleCluster) selected = [];
      } else {
        selected = epsilonSearch(tree, parents, selected, options);
      }
    }
  } else {
    const leaves: number[] = [];
    for (let i = 1; i < clusterCount; i++) if (!hasClusterChildren[i]) leaves.push(n + i);
    selected = options.clusterSelectionEpsilon !== 0 ? epsilonSearch(tree, parents, leaves, options) : leaves;
  }
  return Int32Array.from(new Set(selected)).sort();
}

/**
 * Replaces every candidate born below distance ε by its lowest ancestor that
 * already exists at distance ε (but never the root unless single clusters are
 * allowed), so that no two selected clusters are closer than ε.
 */
function epsilonSearch(
  tree: CondensedTree,
  parents: Int32Array,
  candidates: number[],
  options: SelectionOptions,
): number[] {
  const { n } = tree;
  const root = n;
  const epsilon = options.clusterSelectionEpsilon;
  const births = clusterBirths(tree);
  const birthDistance = (c: number): number => 1 / births[c - n];
  const processed = new Uint8Array(tree.clusterCount);
  const selected: number[] = [];
  for (const leaf of [...candidates].sort((a, b) => a - b)) {
    if (birthDistance(leaf) >= epsilon) {
      selected.push(leaf);
      continue;
    }
    if (processed[leaf - n]) continue;
    let current = leaf;
    let found = -1;
    while (found < 0) {
      const parent = parents[current - n];
      if (parent === root) found = options.allowSingleCluster ? root : current;
      else if (birthDistance(parent) > epsilon) found = parent;
      else current = parent;
    }
    selected.push(found);
    markDescendants(parents, found, n, processed);
  }
  return selected;
}

function markDescendants(parents: Int32Array, ancestor: number, n: number, mark: Uint8Array): void {
  // Parents have smaller ids than their children, so one increasing pass suffices.
  const inside = new Uint8Array(parents.length);
  inside[ancestor - n] = 1;
  for (let i = ancestor - n + 1; i < parents.length; i++) {
    if (parents[i] >= 0 && inside[parents[i] - n]) {
      inside[i] = 1;
      mark[i] = 1;
    }
  }
}

/**
 * Label of every point: the selected cluster it (or the cluster it fell out
 * of) descends from, numbered by increasing cluster id; −1 otherwise. When
 * the root is the only selected cluster, scikit-learn keeps only the points
 * that stay until the root's last split (or until distance ε), and so do we.
 */
export function labelPoints(
  tree: CondensedTree,
  selected: Int32Array,
  allowSingleCluster: boolean,
  clusterSelectionEpsilon: number,
): Int32Array {
  const { n, clusterCount } = tree;
  const parents = clusterParents(tree);
  const labelOfCluster = new Int32Array(clusterCount).fill(-1);
  for (let i = 0; i < selected.length; i++) labelOfCluster[selected[i] - n] = i;
  // Nearest selected ancestor-or-self of each non-root cluster (−1: none below the root).
  const owner = new Int32Array(clusterCount).fill(-1);
  for (let i = 1; i < clusterCount; i++) {
    owner[i] = labelOfCluster[i] >= 0 ? labelOfCluster[i] : owner[parents[i] - n];
  }
  const rootOnly = allowSingleCluster && selected.length === 1 && selected[0] === n;
  const rootDeath = clusterDeaths(tree)[0];
  const labels = new Int32Array(n).fill(-1);
  for (let r = 0; r < tree.child.length; r++) {
    const point = tree.child[r];
    if (point >= n) continue;
    const c = tree.parent[r] - n;
    if (c > 0 && owner[c] >= 0) {
      labels[point] = owner[c];
    } else if (rootOnly) {
      const lambda = tree.lambda[r];
      const keep = clusterSelectionEpsilon !== 0 ? lambda >= 1 / clusterSelectionEpsilon : lambda >= rootDeath;
      if (keep) labels[point] = 0;
    }
  }
  return labels;
}

/**
 * Membership strength: the λ at which the point left the tree, capped by the
 * largest λ among its selected cluster's own rows and divided by it (1 when
 * that largest λ is 0 or the point left at λ = ∞); 0 for noise.
 */
export function membershipProbabilities(tree: CondensedTree, selected: Int32Array, labels: Int32Array): Float64Array {
  const { n } = tree;
  const deaths = clusterDeaths(tree);
  const probabilities = new Float64Array(n);
  for (let r = 0; r < tree.child.length; r++) {
    const point = tree.child[r];
    if (point >= n || labels[point] < 0) continue;
    const maxLambda = deaths[selected[labels[point]] - n];
    const lambda = tree.lambda[r];
    probabilities[point] = maxLambda === 0 || lambda === Infinity ? 1 : Math.min(lambda, maxLambda) / maxLambda;
  }
  return probabilities;
}
