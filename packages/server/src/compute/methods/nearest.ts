/** Label propagation rules shared by several methods' sample_size assignment. */

/** Nearest of k centres (squared euclidean), the `predict` of centroid models. */
export function nearestCentroidLabels(data: Float32Array, n: number, d: number, centres: Float32Array, k: number): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const base = c * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[row + j]! - centres[base + j]!;
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}
