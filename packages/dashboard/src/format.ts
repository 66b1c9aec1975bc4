/** Pure formatting and interpretation helpers (no DOM), shared by the views. */

export type Band = 'excellent' | 'good' | 'weak' | 'poor' | 'info' | 'none';

export interface Interpretation {
  band: Band;
  text: string;
}

/** Silhouette, -1..1: the seed's practical thresholds (0.7 excellent, 0.5 good, 0.25 weak). */
export function interpretSilhouette(value: number | null | undefined): Interpretation {
  if (value === null || value === undefined || Number.isNaN(value)) return { band: 'none', text: 'Not computed for this run' };
  if (value >= 0.7) return { band: 'excellent', text: 'Excellent: dense, well separated clusters (0.7 and above)' };
  if (value >= 0.5) return { band: 'good', text: 'Good: reasonable structure (0.5 to 0.7)' };
  if (value >= 0.25) return { band: 'weak', text: 'Weak: try other parameters or another method (0.25 to 0.5)' };
  return { band: 'poor', text: 'Poor: little structure; reconfigure or add data (below 0.25)' };
}

/** Davies-Bouldin, 0 and up, lower is better: below 1 excellent, 1 to 2 good, above 2 poor. */
export function interpretDaviesBouldin(value: number | null | undefined): Interpretation {
  if (value === null || value === undefined || Number.isNaN(value)) return { band: 'none', text: 'Not computed for this run' };
  if (value < 1) return { band: 'excellent', text: 'Excellent separation (below 1.0)' };
  if (value <= 2) return { band: 'good', text: 'Good separation (1.0 to 2.0)' };
  return { band: 'poor', text: 'Poor separation: clusters overlap (above 2.0)' };
}

/** Calinski-Harabasz has no universal scale: it is only meaningful relative to other runs on the same data. */
export function interpretCalinskiHarabasz(value: number | null | undefined, best?: number | null): Interpretation {
  if (value === null || value === undefined || Number.isNaN(value)) return { band: 'none', text: 'Not computed for this run' };
  if (best !== undefined && best !== null && best > 0) {
    const share = value / best;
    if (share >= 0.999) return { band: 'info', text: 'Highest of the recent runs of this cluster (higher is better; compare runs on the same data)' };
    return { band: 'info', text: `${Math.round(share * 100)}% of the best recent run (higher is better; compare runs on the same data)` };
  }
  return { band: 'info', text: 'Higher is better; no universal threshold, compare runs on the same data' };
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toFixed(digits)).toString();
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`;
}

/**
 * A categorical palette with enough distinct hues for dozens of clusters; colours repeat after
 * 24, so the legend (and hover) remain the authority for which cluster a point is in.
 */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#e6550d',
  '#31a354', '#756bb1', '#636363', '#9c9ede', '#cedb9c', '#e7ba52', '#e7969c', '#de9ed6',
];
/** Noise (cl_-1, cl_cluster_noise) is drawn in light grey so real clusters stand out. */
export const NOISE_COLOR = '#b8b8b8';

export function isNoise(clusterId: string): boolean {
  return clusterId === 'cl_-1' || clusterId === 'cl_cluster_noise';
}

export function colorFor(index: number, clusterId: string): string {
  return isNoise(clusterId) ? NOISE_COLOR : PALETTE[index % PALETTE.length]!;
}
