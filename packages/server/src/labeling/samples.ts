/** Which members of a cluster the labeler reads. */

export interface MemberRef {
  documentId: string;
  distance: number | null;
}

/** FNV-1a: a stable stand-in for "random" order where members have no distance (attribute clusters). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Members nearest the centroid first; members without a distance after them in a stable pseudo-random order. */
export function byDistance(members: MemberRef[]): MemberRef[] {
  return [...members].sort((a, b) => {
    if (a.distance !== null && b.distance !== null) return a.distance - b.distance || (a.documentId < b.documentId ? -1 : 1);
    if (a.distance !== null) return -1;
    if (b.distance !== null) return 1;
    return hash32(a.documentId) - hash32(b.documentId) || (a.documentId < b.documentId ? -1 : 1);
  });
}

/**
 * Sample candidates for a prompt, in priority order: about 60% of `want` nearest the centroid
 * (the cluster's core), the rest spread evenly over the remaining distance range (so the label
 * covers the cluster's breadth, not only its centre), then reserves (the next nearest) that stand
 * in for candidates without text. Expects `sorted` from `byDistance`.
 */
export function representativeCandidates(sorted: MemberRef[], want: number, reserves = want): string[] {
  const m = sorted.length;
  if (m <= want + reserves) return sorted.map((r) => r.documentId);
  const near = Math.ceil(want * 0.6);
  const spread = want - near;
  const chosen = new Set<number>();
  for (let i = 0; i < near; i++) chosen.add(i);
  // Quantiles of the remaining members, stopping short of the farthest (often outliers).
  for (let j = 1; j <= spread; j++) chosen.add(near + Math.floor((j / (spread + 1)) * (m - near)));
  const order = [...chosen];
  for (let i = near; order.length < want + reserves && i < m; i++) if (!chosen.has(i)) order.push(i);
  return order.map((i) => sorted[i]!.documentId);
}

/** At most `cap` members spread evenly over the distance order: the documents keyword extraction reads. */
export function evenSample(sorted: MemberRef[], cap: number): string[] {
  if (sorted.length <= cap) return sorted.map((r) => r.documentId);
  const out: string[] = [];
  for (let i = 0; i < cap; i++) out.push(sorted[Math.floor((i * sorted.length) / cap)]!.documentId);
  return out;
}
