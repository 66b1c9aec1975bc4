/**
 * What the harness hands to each child process and what it gets back. The
 * Python and R runners in bench/references/ speak the same protocol: the job
 * arrives as JSON (Node, Python) or as `key=value` lines (R, which has no JSON
 * parser in base), and the result is one JSON object written to `out.result`.
 */

export type Tool = 'centroid' | 'sklearn' | 'faiss' | 'umap-learn' | 'r-dbscan';

export const TOOL_NAMES: Record<Tool, string> = {
  centroid: 'Centroid',
  sklearn: 'scikit-learn',
  faiss: 'faiss',
  'umap-learn': 'umap-learn',
  'r-dbscan': 'R dbscan',
};

export type Params = Record<string, string | number | boolean | null>;

export interface ChildJob {
  task: string;
  /** Centroid: adapter name; Python: `<module>.<estimator>` style name; R: function name. */
  method: string;
  params: Params;
  /** Only the first `n` rows of the files are read: every subset is a prefix of the generated stream. */
  data: { path: string; labelsPath: string; n: number; d: number };
  out: { result: string; labels: string; embedding: string; reachability: string };
  threads: number;
}

export type ChildStatus = 'ok' | 'missing' | 'not-implemented' | 'failed';

export interface ChildResult {
  status: ChildStatus;
  note?: string;
  /** Wall time of the computation only (data loading and imports excluded). */
  seconds?: number;
  /** Peak resident set of the whole child process, KiB. */
  peakRssKiB?: number;
  /** Peak resident set once the data was loaded, just before the timed call, KiB. */
  loadedRssKiB?: number;
  threads?: string;
  version?: string;
  /** Objective values reported by the tool itself (inertia, score, log-likelihood, …). */
  quality?: Record<string, number>;
  info?: Record<string, string | number | boolean | null>;
  wrote?: { labels?: boolean; embedding?: boolean; reachability?: boolean };
}
