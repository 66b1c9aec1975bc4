/**
 * Per-algorithm parameter objects. Names, defaults and bounds follow the reference (they echo
 * scikit-learn's), and test/http-schemas compares them against the reference file so drift shows.
 * Unknown keys are refused here even though pydantic ignores them: a misspelt parameter silently
 * falling back to its default is the worse failure for a clustering run.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { LooseObject, Nullable, StringEnum } from './common.ts';

export const CLUSTERING_ALGORITHMS = [
  'kmeans', 'dbscan', 'hdbscan', 'agglomerative', 'spectral', 'gaussian_mixture', 'mean_shift', 'optics', 'attribute_based',
] as const;
export const ClusteringAlgorithm = StringEnum(CLUSTERING_ALGORITHMS, { title: 'ClusteringAlgorithm' });
export type ClusteringAlgorithm = Static<typeof ClusteringAlgorithm>;

const strict = (title: string, description: string) => ({ title, description, additionalProperties: false }) as const;
const opt = Type.Optional;

export const KMeansParams = Type.Object(
  {
    n_clusters: opt(Type.Integer({ minimum: 2, maximum: 1000, default: 8, description: 'Number of clusters to form.' })),
    max_iter: opt(Type.Integer({ minimum: 1, maximum: 10000, default: 300, description: 'Iteration cap for one run.' })),
    random_state: opt(Nullable(Type.Integer(), { default: 42, description: 'Seed; null picks a random one.' })),
    n_init: opt(Type.Integer({ minimum: 1, default: 10, description: 'Restarts with new seeds; the best run wins.' })),
    tol: opt(Type.Number({ exclusiveMinimum: 0, default: 0.0001, description: 'Convergence tolerance on centroid movement.' })),
    init: opt(Type.String({ default: 'k-means++', description: "Seeding method: 'k-means++' or 'random'." })),
    verbose: opt(Type.Integer({ minimum: 0, default: 0, description: 'Log verbosity.' })),
    copy_x: opt(Type.Boolean({ default: true, description: 'Leave the input matrix untouched.' })),
    algorithm: opt(Type.String({ default: 'lloyd', description: "Variant: 'lloyd' or 'elkan'." })),
  },
  strict('KMeansParams', 'Parameters for k-means.'),
);
export type KMeansParams = Static<typeof KMeansParams>;

export const DBSCANParams = Type.Object(
  {
    eps: opt(Type.Number({ exclusiveMinimum: 0, default: 0.5, description: 'Neighbourhood radius.' })),
    min_samples: opt(Type.Integer({ minimum: 1, default: 5, description: 'Neighbours needed for a core point.' })),
    metric: opt(Type.String({ default: 'euclidean', description: 'Distance metric.' })),
    metric_params: opt(LooseObject({ description: 'Extra arguments for the metric.' })),
    algorithm: opt(Type.String({ default: 'auto', description: 'Neighbour search strategy.' })),
    leaf_size: opt(Type.Integer({ minimum: 1, default: 30, description: 'Leaf size for tree searches.' })),
    p: opt(Type.Number({ exclusiveMinimum: 0, default: 2, description: 'Minkowski power.' })),
    n_jobs: opt(Type.Integer({ default: 1, description: 'Parallel workers.' })),
  },
  strict('DBSCANParams', 'Parameters for DBSCAN.'),
);
export type DBSCANParams = Static<typeof DBSCANParams>;

export const HDBSCANParams = Type.Object(
  {
    min_cluster_size: opt(Type.Integer({ minimum: 2, default: 5, description: 'Smallest group that counts as a cluster.' })),
    min_samples: opt(Nullable(Type.Integer({ minimum: 1 }), { description: 'Core-distance neighbours; null uses min_cluster_size.' })),
    cluster_selection_epsilon: opt(Type.Number({ minimum: 0, default: 0, description: 'Merge clusters closer than this.' })),
    max_cluster_size: opt(Nullable(Type.Integer({ minimum: 1 }), { description: 'Upper size limit; null for none.' })),
    metric: opt(Type.String({ default: 'euclidean', description: 'Distance metric.' })),
    alpha: opt(Type.Number({ exclusiveMinimum: 0, default: 1, description: 'Distance scaling for robust single linkage.' })),
    cluster_selection_method: opt(Type.String({ default: 'eom', description: "'eom' (excess of mass) or 'leaf'." })),
    allow_single_cluster: opt(Type.Boolean({ default: false, description: 'Permit a result with one cluster.' })),
    prediction_data: opt(Type.Boolean({ default: false, description: 'Keep data for later predictions.' })),
    match_reference_implementation: opt(Type.Boolean({ default: false, description: 'Mimic the reference HDBSCAN exactly.' })),
  },
  strict('HDBSCANParams', 'Parameters for HDBSCAN.'),
);
export type HDBSCANParams = Static<typeof HDBSCANParams>;

export const AgglomerativeParams = Type.Object(
  {
    n_clusters: opt(Nullable(Type.Integer({ minimum: 2 }), { default: 2, description: 'Clusters to stop at; null when distance_threshold is set.' })),
    affinity: opt(Type.String({ default: 'euclidean', description: 'Distance metric.' })),
    memory: opt(Nullable(Type.String(), { description: 'Cache directory for the tree.' })),
    connectivity: opt(Nullable(Type.Unknown(), { description: 'Connectivity constraint.' })),
    compute_full_tree: opt(Type.String({ default: 'auto', description: "Build the whole tree: 'auto', true or false." })),
    linkage: opt(Type.String({ default: 'ward', description: "Merge rule: 'ward', 'complete', 'average' or 'single'." })),
    distance_threshold: opt(Nullable(Type.Number({ exclusiveMinimum: 0 }), { description: 'Stop merging above this distance.' })),
    compute_distances: opt(Type.Boolean({ default: false, description: 'Record merge distances.' })),
  },
  strict('AgglomerativeParams', 'Parameters for agglomerative (hierarchical) clustering.'),
);
export type AgglomerativeParams = Static<typeof AgglomerativeParams>;

export const SpectralParams = Type.Object(
  {
    n_clusters: opt(Type.Integer({ minimum: 2, default: 8, description: 'Number of clusters.' })),
    eigen_solver: opt(Nullable(Type.String(), { description: 'Eigenvalue solver.' })),
    n_components: opt(Nullable(Type.Integer({ minimum: 1 }), { description: 'Eigenvectors to use; null means n_clusters.' })),
    random_state: opt(Nullable(Type.Integer(), { default: 42, description: 'Seed; null picks a random one.' })),
    n_init: opt(Type.Integer({ minimum: 1, default: 10, description: 'k-means restarts in the embedding.' })),
    gamma: opt(Type.Number({ exclusiveMinimum: 0, default: 1, description: 'Kernel coefficient.' })),
    affinity: opt(Type.String({ default: 'rbf', description: "Affinity: 'rbf', 'nearest_neighbors', …" })),
    n_neighbors: opt(Type.Integer({ minimum: 1, default: 10, description: 'Neighbours for the nearest_neighbors affinity.' })),
    eigen_tol: opt(Type.Number({ minimum: 0, default: 0, description: 'Eigen solver tolerance.' })),
    assign_labels: opt(Type.String({ default: 'kmeans', description: 'Label assignment strategy in the embedding.' })),
    degree: opt(Type.Number({ default: 3, description: 'Polynomial kernel degree.' })),
    coef0: opt(Type.Number({ default: 1, description: 'Polynomial and sigmoid kernel term.' })),
    kernel_params: opt(Nullable(LooseObject(), { description: 'Extra kernel arguments.' })),
    n_jobs: opt(Type.Integer({ default: 1, description: 'Parallel workers.' })),
    verbose: opt(Type.Boolean({ default: false, description: 'Log progress.' })),
  },
  strict('SpectralParams', 'Parameters for spectral clustering.'),
);
export type SpectralParams = Static<typeof SpectralParams>;

export const GaussianMixtureParams = Type.Object(
  {
    n_components: opt(Type.Integer({ minimum: 1, default: 1, description: 'Mixture components (clusters).' })),
    covariance_type: opt(Type.String({ default: 'full', description: "'full', 'tied', 'diag' or 'spherical'." })),
    tol: opt(Type.Number({ exclusiveMinimum: 0, default: 0.001, description: 'Convergence threshold.' })),
    reg_covar: opt(Type.Number({ minimum: 0, default: 0.000001, description: 'Added to the covariance diagonal.' })),
    max_iter: opt(Type.Integer({ minimum: 1, default: 100, description: 'EM iteration cap.' })),
    n_init: opt(Type.Integer({ minimum: 1, default: 1, description: 'Restarts; the best run wins.' })),
    init_params: opt(Type.String({ default: 'kmeans', description: 'How initial weights are chosen.' })),
    weights_init: opt(Nullable(Type.Array(Type.Unknown()), { description: 'Initial weights.' })),
    means_init: opt(Nullable(Type.Array(Type.Unknown()), { description: 'Initial means.' })),
    precisions_init: opt(Nullable(Type.Array(Type.Unknown()), { description: 'Initial precisions.' })),
    random_state: opt(Nullable(Type.Integer(), { default: 42, description: 'Seed; null picks a random one.' })),
    warm_start: opt(Type.Boolean({ default: false, description: 'Reuse the previous fit as the start.' })),
    verbose: opt(Type.Integer({ minimum: 0, default: 0, description: 'Log verbosity.' })),
    verbose_interval: opt(Type.Integer({ minimum: 1, default: 10, description: 'Iterations between log lines.' })),
  },
  strict('GaussianMixtureParams', 'Parameters for a Gaussian mixture model.'),
);
export type GaussianMixtureParams = Static<typeof GaussianMixtureParams>;

export const MeanShiftParams = Type.Object(
  {
    bandwidth: opt(Nullable(Type.Number({ exclusiveMinimum: 0 }), { description: 'Kernel bandwidth; null estimates it.' })),
    seeds: opt(Nullable(Type.Array(Type.Array(Type.Number())), { description: 'Starting points.' })),
    bin_seeding: opt(Type.Boolean({ default: false, description: 'Seed from a coarse grid.' })),
    min_bin_freq: opt(Type.Integer({ minimum: 1, default: 1, description: 'Points a grid bin needs to seed.' })),
    cluster_all: opt(Type.Boolean({ default: true, description: 'Assign orphans to the nearest cluster instead of noise.' })),
    n_jobs: opt(Type.Integer({ default: 1, description: 'Parallel workers.' })),
    max_iter: opt(Type.Integer({ minimum: 1, default: 300, description: 'Iteration cap per seed.' })),
  },
  strict('MeanShiftParams', 'Parameters for mean shift.'),
);
export type MeanShiftParams = Static<typeof MeanShiftParams>;

export const OPTICSParams = Type.Object(
  {
    min_samples: opt(Type.Integer({ minimum: 2, default: 5, description: 'Neighbours needed for a core point.' })),
    max_eps: opt(Nullable(Type.Number({ exclusiveMinimum: 0 }), { description: 'Largest radius considered; null for unbounded.' })),
    metric: opt(Type.String({ default: 'minkowski', description: 'Distance metric.' })),
    p: opt(Type.Number({ exclusiveMinimum: 0, default: 2, description: 'Minkowski power.' })),
    metric_params: opt(Nullable(LooseObject(), { description: 'Extra arguments for the metric.' })),
    cluster_method: opt(Type.String({ default: 'xi', description: "Extraction: 'xi' or 'dbscan'." })),
    eps: opt(Nullable(Type.Number({ exclusiveMinimum: 0 }), { description: "Radius for cluster_method 'dbscan'." })),
    xi: opt(Type.Number({ minimum: 0, maximum: 1, default: 0.05, description: 'Steepness threshold for xi extraction.' })),
    predecessor_correction: opt(Type.Boolean({ default: true, description: 'Correct clusters using predecessors.' })),
    min_cluster_size: opt(Nullable(Type.Number(), { description: 'Smallest cluster, as a count or a fraction.' })),
    algorithm: opt(Type.String({ default: 'auto', description: 'Neighbour search strategy.' })),
    leaf_size: opt(Type.Integer({ minimum: 1, default: 30, description: 'Leaf size for tree searches.' })),
    n_jobs: opt(Type.Integer({ default: 1, description: 'Parallel workers.' })),
  },
  strict('OPTICSParams', 'Parameters for OPTICS.'),
);
export type OPTICSParams = Static<typeof OPTICSParams>;

const PARAMS_BY_METHOD: Readonly<Record<string, TSchema>> = {
  kmeans: KMeansParams,
  dbscan: DBSCANParams,
  hdbscan: HDBSCANParams,
  agglomerative: AgglomerativeParams,
  spectral: SpectralParams,
  gaussian_mixture: GaussianMixtureParams,
  mean_shift: MeanShiftParams,
  optics: OPTICSParams,
};

/** The `*Params` schema for a clustering method; undefined for attribute_based or unknown names. */
export function paramsSchemaFor(method: string): TSchema | undefined {
  return Object.hasOwn(PARAMS_BY_METHOD, method) ? PARAMS_BY_METHOD[method] : undefined;
}
