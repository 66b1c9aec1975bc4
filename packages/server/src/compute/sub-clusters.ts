/**
 * Sub-cluster hierarchies: each cluster with enough members is re-clustered with k-means into
 * children `cl_0_sub_0`, `cl_0_sub_1`, … and, up to `max_depth`, their children in turn
 * (`cl_0_sub_1_sub_0`). Every fit runs in the compute pool, off the event loop, in the same
 * feature space as the top-level clustering (same features, per-row normalisation and weights).
 *
 * Results: members carry their leaf id (and the distance to that leaf's centroid); child
 * centroids are added after their parent with `parent_cluster_id`; the top-level clusters,
 * `num_clusters` and the metrics are left as they were. Noise (`cl_-1`) is never split.
 */
import { setMaxListeners } from 'node:events';
import type { EffectiveFeatureMethod, HierarchyConfig, MultiFeatureStrategy } from '../domain/cluster-config.ts';
import type { ValidationIssue } from '../domain/errors.ts';
import type { CentroidSummary, ExecutionDetails, MemberRow } from '../domain/records.ts';
import type { ClusteringOutput, FeatureBlock } from './cluster-task.ts';
import type { ComputePool } from './thread-pool.ts';

/** 'auto' tries k = 2…AUTO_MAX_K. */
export const AUTO_MAX_K = 8;
/** 'auto' scores candidate k on at most this many evenly spaced members, then fits the winner on all of them. */
export const AUTO_SCORING_ROWS = 1000;
/** Sub-fits in flight at once: bounds the memory held by gathered rows. */
const MAX_IN_FLIGHT = 4;
const NOISE_ID = 'cl_-1';

type Loc = (string | number)[];

/** Validates a (schema-checked) `vector_config.hierarchy`; null when absent or disabled. */
export function normalizeHierarchy(raw: unknown, strategy: MultiFeatureStrategy, loc: Loc, issues: ValidationIssue[]): HierarchyConfig | null {
  if (raw === null || raw === undefined) return null;
  const h = raw as { enabled?: boolean; max_depth?: number; min_cluster_size?: number; n_subclusters?: number | 'auto' };
  if (h.enabled === false) return null;
  const config: HierarchyConfig = { max_depth: h.max_depth ?? 1, min_cluster_size: h.min_cluster_size ?? 20, n_subclusters: h.n_subclusters ?? 'auto' };
  if (!Number.isInteger(config.max_depth) || config.max_depth < 1 || config.max_depth > 3) {
    issues.push({ loc: [...loc, 'max_depth'], msg: `max_depth should be 1, 2 or 3 (got ${config.max_depth})`, type: 'value_error' });
  }
  if (!Number.isInteger(config.min_cluster_size) || config.min_cluster_size < 4) {
    issues.push({ loc: [...loc, 'min_cluster_size'], msg: `min_cluster_size should be an integer of at least 4 (got ${config.min_cluster_size})`, type: 'greater_than_equal' });
  }
  const k = config.n_subclusters;
  if (k !== 'auto' && (!Number.isInteger(k) || k < 2 || k > 20)) {
    issues.push({ loc: [...loc, 'n_subclusters'], msg: `n_subclusters should be 'auto' or an integer from 2 to 20 (got ${k})`, type: 'value_error' });
  } else if (k !== 'auto' && config.min_cluster_size < 2 * k) {
    issues.push({ loc: [...loc, 'min_cluster_size'], msg: `min_cluster_size ${config.min_cluster_size} is too small to split into ${k} children; raise it to at least ${2 * k} or lower n_subclusters`, type: 'value_error' });
  }
  if (strategy === 'independent') {
    issues.push({
      loc,
      msg: "Sub-clusters need one clustering per document, but multi_feature_strategy 'independent' makes one per feature; use 'concatenate' or 'weighted', or omit hierarchy",
      type: 'value_error',
    });
  }
  return config;
}

/** The clustering thread takes ownership of the vectors it is given; a hierarchy needs its own copy. */
export function keepFeaturesForHierarchy(hierarchy: HierarchyConfig | null | undefined, features: FeatureBlock[]): FeatureBlock[] | null {
  return hierarchy ? features.map((f) => ({ ...f, data: f.data.slice() })) : null;
}

export interface SubClusterSpace {
  /** The execution's feature blocks, rows aligned with `members`. */
  features: FeatureBlock[];
  normalize: boolean;
  /** One weight per feature (configured or learned); null for equal weights. */
  featureWeights: number[] | null;
  effectiveFeatureMethod: EffectiveFeatureMethod;
  silhouetteExactMaxPoints: number;
  seed: number;
}

interface Node {
  id: string;
  depth: number;
  rows: Int32Array;
}

interface Split {
  node: Node;
  output: ClusteringOutput;
  candidates: Record<string, number | null> | null;
}

/** Rows `rows` of every block, copied into fresh buffers (the pool moves them to a thread). */
function gather(features: FeatureBlock[], rows: Int32Array): FeatureBlock[] {
  return features.map((f) => {
    const out = new Float32Array(rows.length * f.d);
    for (let i = 0; i < rows.length; i++) out.set(f.data.subarray(rows[i]! * f.d, (rows[i]! + 1) * f.d), i * f.d);
    return { uri: f.uri, d: f.d, data: out };
  });
}

/** Runs `fn` over `items` with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

export class SubClusterBuilder {
  constructor(
    private readonly pool: ComputePool,
    private readonly space: SubClusterSpace,
    private readonly config: HierarchyConfig,
    private readonly signal: AbortSignal,
  ) {
    // Every fit in flight listens for cancellation on the execution's one signal.
    setMaxListeners(MAX_IN_FLIGHT * AUTO_MAX_K + 16, signal);
  }

  private async fit(rows: Int32Array, k: number): Promise<ClusteringOutput> {
    const s = this.space;
    const out = await this.pool.run(
      {
        features: gather(s.features, rows),
        n: rows.length,
        method: 'kmeans',
        params: { n_clusters: k, max_iter: 300, random_state: s.seed, n_init: 4, tol: 1e-4, init: 'k-means++', verbose: 0, copy_x: true, algorithm: 'lloyd' },
        strategy: 'concatenate',
        normalize: s.normalize,
        featureWeights: s.featureWeights,
        weightLearning: null,
        effectiveFeatureMethod: s.effectiveFeatureMethod,
        sampleSize: null,
        silhouetteExactMaxPoints: s.silhouetteExactMaxPoints,
        seed: s.seed,
      },
      this.signal,
    );
    return out.results[0]!;
  }

  /** Fixed k, or for 'auto' the k in 2…AUTO_MAX_K with the best silhouette (ties: fewer children). */
  private async split(node: Node): Promise<Split> {
    const m = node.rows.length;
    if (this.config.n_subclusters !== 'auto') return { node, output: await this.fit(node.rows, this.config.n_subclusters), candidates: null };
    const scoringRows = m <= AUTO_SCORING_ROWS ? node.rows : Int32Array.from({ length: AUTO_SCORING_ROWS }, (_, i) => node.rows[Math.floor((i * m) / AUTO_SCORING_ROWS)]!);
    const maxK = Math.min(AUTO_MAX_K, Math.floor(scoringRows.length / 2));
    const ks = Array.from({ length: Math.max(0, maxK - 1) }, (_, i) => i + 2);
    const outputs = await Promise.all(ks.map((k) => this.fit(scoringRows, k)));
    const candidates: Record<string, number | null> = {};
    let best = 0;
    let bestScore = -Infinity;
    outputs.forEach((o, i) => {
      const score = o.k === ks[i] ? o.metrics.silhouette_score : null;
      candidates[String(ks[i])] = score;
      if (score !== null && score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    const output = scoringRows === node.rows ? outputs[best]! : await this.fit(node.rows, ks[best]!);
    return { node, output, candidates };
  }

  /** Splits the clusters level by level; rewrites `members` and `centroids` in place and returns the details entry. */
  async build(centroids: CentroidSummary[], members: MemberRow[]): Promise<Record<string, unknown>> {
    const rowsOf = new Map<string, number[]>();
    members.forEach((m, i) => {
      if (m.clusterId === NOISE_ID) return;
      let list = rowsOf.get(m.clusterId);
      if (!list) rowsOf.set(m.clusterId, (list = []));
      list.push(i);
    });
    let level: Node[] = centroids
      .filter((c) => c.cluster_id !== NOISE_ID && !c.parent_cluster_id && rowsOf.has(c.cluster_id))
      .map((c) => ({ id: c.cluster_id, depth: 0, rows: Int32Array.from(rowsOf.get(c.cluster_id)!) }));
    const childrenOf = new Map<string, CentroidSummary[]>();
    const splits: Record<string, unknown>[] = [];
    let depthReached = 0;
    for (let depth = 1; depth <= this.config.max_depth && level.length > 0; depth++) {
      if (this.signal.aborted) throw this.signal.reason;
      const minSize = Math.max(this.config.min_cluster_size, this.config.n_subclusters === 'auto' ? 4 : 2 * this.config.n_subclusters);
      const splittable = level.filter((n) => n.rows.length >= minSize);
      const results = await mapLimited(splittable, MAX_IN_FLIGHT, (n) => this.split(n));
      const next: Node[] = [];
      for (const { node, output, candidates } of results) {
        if (output.k < 2) continue; // identical points: nothing to split
        depthReached = depth;
        const rowsPerChild: number[][] = Array.from({ length: output.k }, () => []);
        const ids = rowsPerChild.map((_, c) => `${node.id}_sub_${c}`);
        for (let i = 0; i < node.rows.length; i++) {
          const c = output.labels[i]!;
          const member = members[node.rows[i]!]!;
          member.clusterId = ids[c]!;
          const distance = output.distanceToRepresentative[i]!;
          member.distanceToCentroid = Number.isFinite(distance) ? distance : null;
          rowsPerChild[c]!.push(node.rows[i]!);
        }
        childrenOf.set(
          node.id,
          ids.map((id, c) => ({
            cluster_id: id,
            num_members: output.counts[c]!,
            label: null,
            summary: null,
            keywords: null,
            mean_cosine_similarity: Number.isFinite(output.meanCosineSimilarity[c]!) ? output.meanCosineSimilarity[c]! : null,
            min_cosine_similarity: Number.isFinite(output.minCosineSimilarity[c]!) ? output.minCosineSimilarity[c]! : null,
            parent_cluster_id: node.id,
          })),
        );
        splits.push({
          cluster_id: node.id,
          depth,
          num_members: node.rows.length,
          children: ids,
          silhouette_score: output.metrics.silhouette_score,
          ...(candidates ? { silhouette_by_k: candidates } : {}),
        });
        ids.forEach((id, c) => next.push({ id, depth, rows: Int32Array.from(rowsPerChild[c]!) }));
      }
      level = next;
    }
    // Children right after their parent, depth first, so the list reads as a tree.
    const ordered: CentroidSummary[] = [];
    const visit = (c: CentroidSummary) => {
      ordered.push(c);
      for (const child of childrenOf.get(c.cluster_id) ?? []) visit(child);
    };
    centroids.forEach(visit);
    centroids.splice(0, centroids.length, ...ordered);
    return {
      max_depth: this.config.max_depth,
      min_cluster_size: this.config.min_cluster_size,
      n_subclusters: this.config.n_subclusters,
      depth_reached: depthReached,
      num_subclusters: ordered.length - centroids.filter((c) => !c.parent_cluster_id).length,
      splits,
    };
  }
}

/**
 * The one call the execution runner makes: adds sub-clusters to a finished vector clustering
 * when its configuration asks for them (`kept` is the copy made by keepFeaturesForHierarchy).
 */
export async function addSubClusters(
  pool: ComputePool,
  hierarchy: HierarchyConfig | null | undefined,
  kept: Omit<SubClusterSpace, 'features'> & { features: FeatureBlock[] | null },
  result: { centroids: CentroidSummary[]; members: MemberRow[]; details: ExecutionDetails },
  signal: AbortSignal,
): Promise<void> {
  if (!hierarchy || !kept.features) return;
  const builder = new SubClusterBuilder(pool, { ...kept, features: kept.features }, hierarchy, signal);
  result.details.hierarchy = await builder.build(result.centroids, result.members);
}
