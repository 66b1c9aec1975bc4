/**
 * Disjoint sets stored as a parent array (parent[i] === i for roots), with path halving. Unions
 * always keep the lower root, so each set's root is its smallest member: callers that number
 * components by root get the numbering of the lowest row, independent of union order.
 */

export function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

export function unionToLowerRoot(parent: Int32Array, a: number, b: number): void {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra === rb) return;
  if (ra < rb) parent[rb] = ra;
  else parent[ra] = rb;
}
