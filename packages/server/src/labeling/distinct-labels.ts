/**
 * Keeps labels apart. Exact duplicates (ignoring case and punctuation) are always made distinct.
 * With `use_embedding_dedup`, near-duplicates are too: labels are compared as vectors of their
 * character trigrams (Centroid ships no sentence-embedding model, and trigram vectors catch the
 * usual near-duplicates: plurals, reordered words, "Product Reviews" vs "Product Review"), and a
 * pair whose cosine similarity reaches `embedding_similarity_threshold` counts as duplicate.
 * The later cluster of a duplicate pair gets its best keyword not already in the label appended,
 * "Product Reviews (battery)", or its cluster id when no keyword helps.
 */

function normalize(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function trigrams(label: string): Map<string, number> {
  const s = ` ${normalize(label)} `;
  const out = new Map<string, number>();
  for (let i = 0; i + 3 <= s.length; i++) {
    const g = s.slice(i, i + 3);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

export function labelSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (const [g, v] of x) {
    nx += v * v;
    dot += v * (y.get(g) ?? 0);
  }
  for (const v of y.values()) ny += v * v;
  return nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
}

export interface LabeledCluster {
  clusterId: string;
  label: string;
  keywords: string[];
}

/** Returns new labels for the clusters whose label had to change (cluster id → label). */
export function distinctLabels(clusters: LabeledCluster[], nearDuplicates: boolean, threshold: number): Map<string, string> {
  const changed = new Map<string, string>();
  const accepted: string[] = [];
  for (const c of clusters) {
    let label = c.label;
    const clash = (l: string) => accepted.some((a) => normalize(a) === normalize(l) || (nearDuplicates && labelSimilarity(a, l) >= threshold));
    if (clash(label)) {
      const words = new Set(normalize(label).split(' '));
      // The qualified label only has to differ exactly: it still resembles the original by design.
      const taken = (l: string) => accepted.some((a) => normalize(a) === normalize(l));
      const keyword = c.keywords.find((k) => !k.split(' ').some((w) => words.has(w)) && !taken(`${label} (${k})`));
      label = keyword ? `${label} (${keyword})` : `${label} (${c.clusterId})`;
      changed.set(c.clusterId, label);
    }
    accepted.push(label);
  }
  return changed;
}
