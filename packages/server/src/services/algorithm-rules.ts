/**
 * Parameter combinations scikit-learn refuses, refused here at create time with a 422 that says
 * why, instead of failing minutes later inside an execution. The per-parameter types, bounds and
 * defaults are already enforced by the `*Params` schemas; this is what a schema cannot express.
 *
 * `given` is what the user sent, `params` the same object with every default filled. The two are
 * needed together because some defaults only make sense when the user did not set a sibling
 * (agglomerative's n_clusters=2 default gives way to a user-given distance_threshold).
 */
import type { ValidationIssue } from '../domain/errors.ts';
import type { VectorMethod } from '../domain/cluster-config.ts';

type Params = Record<string, unknown>;
type Report = (field: string, msg: string, type?: string) => void;

const PAIRWISE_METRICS = ['euclidean', 'l2', 'cosine', 'manhattan', 'l1', 'cityblock', 'chebyshev', 'minkowski'];
const NEIGHBOR_ALGORITHMS = ['auto', 'ball_tree', 'kd_tree', 'brute'];
/** Metrics a kd-tree can index; scikit-learn refuses anything else with algorithm='kd_tree'. */
const KD_TREE_METRICS = ['euclidean', 'l2', 'manhattan', 'l1', 'cityblock', 'chebyshev', 'minkowski'];

function oneOf(report: Report, params: Params, field: string, allowed: readonly string[], hint = ''): boolean {
  const value = params[field];
  if (typeof value === 'string' && allowed.includes(value)) return true;
  report(field, `Input should be ${allowed.map((a) => `'${a}'`).join(', ')}${hint ? `; ${hint}` : ''} (got ${JSON.stringify(value)})`, 'enum');
  return false;
}

function emptyOrNull(report: Report, params: Params, field: string, why: string): void {
  const value = params[field];
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) return;
  report(field, `${field} is not supported: ${why}; omit it or set it to null`, 'value_error');
}

function neighbourSearch(report: Report, params: Params): void {
  if (!oneOf(report, params, 'metric', PAIRWISE_METRICS)) return;
  if (!oneOf(report, params, 'algorithm', NEIGHBOR_ALGORITHMS)) return;
  if (params.algorithm === 'kd_tree' && !KD_TREE_METRICS.includes(params.metric as string)) {
    report('algorithm', `metric '${params.metric}' cannot be used with algorithm 'kd_tree' (a kd-tree needs a coordinate-wise metric); use algorithm 'auto' or 'brute'`, 'value_error');
  }
  emptyOrNull(report, params, 'metric_params', 'every supported metric is fully described by metric and p');
}

const RULES: Record<VectorMethod, (params: Params, given: Params, report: Report) => void> = {
  kmeans(params, _given, report) {
    oneOf(report, params, 'init', ['k-means++', 'random'], 'explicit initial centres are not supported');
    oneOf(report, params, 'algorithm', ['lloyd', 'elkan', 'auto']);
  },
  dbscan(params, _given, report) {
    neighbourSearch(report, params);
  },
  hdbscan(params, given, report) {
    if (given.min_samples === undefined || params.min_samples === null) params.min_samples = params.min_cluster_size;
    oneOf(report, params, 'metric', PAIRWISE_METRICS);
    oneOf(report, params, 'cluster_selection_method', ['eom', 'leaf']);
    if (params.max_cluster_size != null && params.cluster_selection_method === 'leaf') {
      report('max_cluster_size', "max_cluster_size only applies to cluster_selection_method 'eom'; leaf selection never merges clusters, so remove it or use 'eom'", 'value_error');
    }
  },
  agglomerative(params, given, report) {
    if (given.distance_threshold != null && given.n_clusters === undefined) params.n_clusters = null;
    const linkageOk = oneOf(report, params, 'linkage', ['ward', 'complete', 'average', 'single']);
    const affinityOk = oneOf(report, params, 'affinity', ['euclidean', 'l2', 'l1', 'manhattan', 'cosine'], "'precomputed' is not supported");
    if (linkageOk && affinityOk && params.linkage === 'ward' && params.affinity !== 'euclidean') {
      report('affinity', `linkage 'ward' minimises variance and is only defined for affinity 'euclidean' (got '${params.affinity}'); use linkage 'average', 'complete' or 'single' for other metrics`, 'value_error');
    }
    const hasK = params.n_clusters !== null && params.n_clusters !== undefined;
    const hasThreshold = params.distance_threshold !== null && params.distance_threshold !== undefined;
    if (hasK === hasThreshold) {
      report(
        hasK ? 'distance_threshold' : 'n_clusters',
        hasK
          ? 'Exactly one of n_clusters and distance_threshold must be set: set n_clusters to null to cut the tree at distance_threshold'
          : 'Exactly one of n_clusters and distance_threshold must be set: give n_clusters or a distance_threshold',
        'value_error',
      );
    }
    const fullTree = params.compute_full_tree;
    if (!['auto', 'true', 'false', true, false].includes(fullTree as string)) {
      report('compute_full_tree', `Input should be 'auto', true or false (got ${JSON.stringify(fullTree)})`, 'enum');
    } else if (hasThreshold && (fullTree === false || fullTree === 'false')) {
      report('compute_full_tree', 'compute_full_tree must be true (or auto) when distance_threshold is set: the cut needs the whole tree', 'value_error');
    }
    emptyOrNull(report, params, 'connectivity', 'connectivity constraints need a sparse graph the API has no way to receive');
  },
  spectral(params, _given, report) {
    oneOf(report, params, 'affinity', ['rbf', 'nearest_neighbors'], "'precomputed' and other kernels are not supported");
    oneOf(report, params, 'assign_labels', ['kmeans', 'discretize', 'cluster_qr']);
    if (params.eigen_solver !== null && params.eigen_solver !== undefined) {
      oneOf(report, params, 'eigen_solver', ['arpack', 'lobpcg'], "'amg' needs pyamg and has no counterpart here");
    }
    emptyOrNull(report, params, 'kernel_params', 'only the rbf kernel (with gamma) is supported');
  },
  gaussian_mixture(params, _given, report) {
    oneOf(report, params, 'covariance_type', ['full', 'tied', 'diag', 'spherical']);
    oneOf(report, params, 'init_params', ['kmeans', 'k-means++', 'random', 'random_from_data']);
    if (params.warm_start === true) {
      report('warm_start', 'warm_start cannot apply: every execution fits a fresh model on the current documents; set it to false', 'value_error');
    }
    const k = params.n_components as number;
    const weights = params.weights_init as unknown[] | null;
    if (weights) {
      if (weights.length !== k || !weights.every((w) => typeof w === 'number' && w >= 0 && w <= 1)) {
        report('weights_init', `weights_init must be ${k} numbers in [0, 1] (one per component)`, 'value_error');
      } else if (Math.abs((weights as number[]).reduce((a, b) => a + b, 0) - 1) > 1e-6) {
        report('weights_init', 'weights_init must sum to 1', 'value_error');
      }
    }
    const means = params.means_init as unknown[] | null;
    if (means && (means.length !== k || !means.every((m) => Array.isArray(m) && m.length > 0 && m.every((v) => typeof v === 'number')))) {
      report('means_init', `means_init must be ${k} rows of numbers (n_components × vector dimensions)`, 'value_error');
    }
  },
  mean_shift(params, _given, report) {
    const seeds = params.seeds as unknown[][] | null;
    if (seeds && (seeds.length === 0 || seeds.some((s) => s.length !== seeds[0]!.length))) {
      report('seeds', 'seeds must be a non-empty list of points that all have the same number of dimensions', 'value_error');
    }
  },
  optics(params, _given, report) {
    neighbourSearch(report, params);
    if (!oneOf(report, params, 'cluster_method', ['xi', 'dbscan'])) return;
    const eps = (params.eps ?? null) as number | null;
    const maxEps = (params.max_eps ?? null) as number | null;
    if (params.cluster_method === 'dbscan' && eps !== null && maxEps !== null && eps > maxEps) {
      report('eps', `eps (${eps}) must not exceed max_eps (${maxEps}): reachability beyond max_eps is never computed`, 'value_error');
    }
    const minSize = (params.min_cluster_size ?? null) as number | null;
    if (minSize !== null && !((Number.isInteger(minSize) && minSize >= 2) || (minSize > 0 && minSize <= 1))) {
      report('min_cluster_size', `min_cluster_size must be an integer ≥ 2 or a fraction in (0, 1] of the documents (got ${minSize})`, 'value_error');
    }
  },
};

/**
 * Checks `params` (defaults filled) of `method`, adjusting the defaults that depend on what the user
 * gave, and returns one issue per refused combination located under `loc`.
 */
export function checkAlgorithmRules(method: VectorMethod, params: Params, given: Params, loc: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  RULES[method](params, given, (field, msg, type = 'value_error') => issues.push({ loc: [...loc, field], msg, type }));
  return issues;
}
