/**
 * Hierarchy between independent per-feature clusterings, read off their memberships: cluster A is
 * a child of cluster B (found on another feature) when B is larger and holds at least
 * CONTAINMENT of A's members. Cheap (one pass per pair of features) and explainable: each
 * relationship carries the share of the child inside the parent.
 */
const CONTAINMENT = 0.8;

export interface HierarchyRelationship {
  parent_cluster_id: string;
  child_cluster_id: string;
  /** Fraction of the child's members that are also members of the parent. */
  containment: number;
  shared_members: number;
}

/** `labels[f][i]`: document i's cluster in feature f's clustering (-1 noise); `ids[f][c]`: its id. */
export function overlapHierarchy(labels: Int32Array[], ids: string[][]): HierarchyRelationship[] {
  const relationships: HierarchyRelationship[] = [];
  const sizes = labels.map((l, f) => {
    const s = new Int32Array(ids[f]!.length);
    for (const c of l) if (c >= 0) s[c]!++;
    return s;
  });
  for (let a = 0; a < labels.length; a++) {
    for (let b = 0; b < labels.length; b++) {
      if (a === b) continue;
      const kb = ids[b]!.length;
      const shared = new Int32Array(ids[a]!.length * kb);
      const la = labels[a]!;
      const lb = labels[b]!;
      for (let i = 0; i < la.length; i++) if (la[i]! >= 0 && lb[i]! >= 0) shared[la[i]! * kb + lb[i]!]!++;
      for (let child = 0; child < ids[a]!.length; child++) {
        for (let parent = 0; parent < kb; parent++) {
          const overlap = shared[child * kb + parent]!;
          const childSize = sizes[a]![child]!;
          if (childSize > 0 && sizes[b]![parent]! > childSize && overlap >= CONTAINMENT * childSize) {
            relationships.push({ parent_cluster_id: ids[b]![parent]!, child_cluster_id: ids[a]![child]!, containment: overlap / childSize, shared_members: overlap });
          }
        }
      }
    }
  }
  return relationships;
}
