/**
 * Two-level data: `groups` far-apart groups, each made of `subgroups` well-separated blobs of
 * `perBlob` points. `truth` gives each point's blob (group * subgroups + subgroup).
 */
export function nestedBlobs(groups: number, subgroups: number, perBlob: number, dims: number, seed = 1): { vectors: number[][]; group: number[]; blob: number[] } {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const vectors: number[][] = [];
  const group: number[] = [];
  const blob: number[] = [];
  for (let g = 0; g < groups; g++) {
    const centre = Array.from({ length: dims }, (_, j) => (j === g % dims ? 400 : 0) + (g >= dims ? -400 : 0));
    for (let b = 0; b < subgroups; b++) {
      const sub = centre.map((x) => x + (rand() * 2 - 1) * 40);
      for (let i = 0; i < perBlob; i++) {
        vectors.push(sub.map((x) => x + gauss()));
        group.push(g);
        blob.push(g * subgroups + b);
      }
    }
  }
  return { vectors, group, blob };
}
