/**
 * UMAP layouts for scatter plots, built on umap-js 1.4.0 (PAIR-code), made
 * seeded and bounded in time:
 *
 * 1. Rows wider than `pcaDimensions` are first reduced by PCA (fitted on the
 *    sample below, applied to every row): neighbour searches in 768-d cost
 *    20× more than in 32-d and find nearly the same neighbours.
 * 2. UMAP is fitted on a seeded sample of at most `maxFitPoints` rows. The
 *    k-nearest-neighbour graph is computed exactly by the engine's
 *    NeighborIndex and handed to umap-js (setPrecomputedKNN), which replaces
 *    its random-projection forest + NN-descent and so removes their
 *    randomness. Every random draw of umap-js (initial layout, negative
 *    sampling) comes from the engine's seeded generator.
 * 3. Every other row is placed at the weighted mean of the layout positions
 *    of its nNeighbors nearest fitted rows, with weights exp(−(dᵢ − d₁)/σ),
 *    σ the mean of (dᵢ − d₁), the membership kernel UMAP uses to build its
 *    graph. This is umap-learn's initial placement for `transform` without
 *    the optimisation epochs after it (umap-js's own `transform` would run
 *    those epochs for the new rows; this costs one neighbour search). Placed
 *    rows land inside the fitted structure; a row far from every fitted row
 *    lands between its nearest ones.
 *
 * Several layouts (2-D and 3-D) can share steps 1–2's neighbour graphs and
 * step 3's neighbour search: see `umapLayouts`.
 */
import { UMAP } from 'umap-js';
import { throwIfCanceled } from '../errors.ts';
import { gatherRows } from '../linalg/gather-rows.ts';
import { NeighborIndex } from '../neighbors/index.ts';
import { createRng, samplePermutationPrefix } from '../rng.ts';
import { checkMatrix } from '../validate.ts';
import { pcaFit, pcaTransform } from './pca.ts';

export interface UmapOptions {
  /** Default 2. */
  nComponents?: number;
  /** Default 15; lowered to (fitted rows − 1) when fewer rows are fitted. */
  nNeighbors?: number;
  /** Default 0.1. */
  minDist?: number;
  /** Default 0. */
  randomState?: number;
  /** Rows UMAP itself is fitted on; the rest are placed (see above). Default 5,000. */
  maxFitPoints?: number;
  /** Rows wider than this are reduced by PCA first. Default 32. */
  pcaDimensions?: number;
  /**
   * Optimisation epochs. Default 200, umap-learn's choice above 10k rows:
   * the epochs are nearly all of the time (umap-js would run 400 on 5,000
   * rows), and 200 already separate what the neighbour graph separates.
   */
  nEpochs?: number;
  shouldStop?: () => boolean;
}

export interface UmapResult {
  /** n×nComponents row-major. */
  embedding: Float32Array;
  /** How many rows UMAP was fitted on (the others were placed). */
  fittedPoints: number;
  /** Width of the space neighbours were searched in (after PCA, if any). */
  searchDimensions: number;
}

export const DEFAULT_MAX_FIT_POINTS = 5_000;
export const DEFAULT_PCA_DIMENSIONS = 32;
export const DEFAULT_EPOCHS = 200;

interface Prepared {
  n: number;
  /** Fitted rows (ascending). */
  fitRows: Int32Array;
  /** The fitted rows in the search space, as umap-js wants them. */
  fitVectors: number[][];
  knnIndices: number[][];
  knnDistances: number[][];
  nNeighbors: number;
  /** For each unfitted row: its neighbours (positions in fitRows) and weights; empty when every row is fitted. */
  placeIndices: Int32Array;
  placeWeights: Float64Array;
  placeRows: Int32Array;
  searchDimensions: number;
}

function check(n: number, options: UmapOptions): void {
  const nNeighbors = options.nNeighbors ?? 15;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) throw new RangeError(`nNeighbors must be an integer ≥ 2, got ${nNeighbors}`);
  const minDist = options.minDist ?? 0.1;
  if (!(minDist >= 0 && minDist <= 1)) throw new RangeError(`minDist must be in [0, 1], got ${minDist}`);
  const maxFit = options.maxFitPoints ?? DEFAULT_MAX_FIT_POINTS;
  if (!Number.isInteger(maxFit) || maxFit < 3) throw new RangeError(`maxFitPoints must be an integer ≥ 3, got ${maxFit}`);
  const epochs = options.nEpochs ?? DEFAULT_EPOCHS;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`nEpochs must be a positive integer, got ${epochs}`);
  if (n < 3) throw new RangeError(`UMAP needs at least 3 rows, got ${n}`);
}

function prepare(data: Float32Array, n: number, d: number, options: UmapOptions): Prepared {
  const seed = options.randomState ?? 0;
  const maxFit = options.maxFitPoints ?? DEFAULT_MAX_FIT_POINTS;
  const fitRows = n > maxFit ? samplePermutationPrefix(createRng(seed), n, maxFit).sort() : Int32Array.from({ length: n }, (_, i) => i);
  const m = fitRows.length;
  const nNeighbors = Math.min(options.nNeighbors ?? 15, m - 1);

  // The search space: PCA fitted on the sample, applied to every row.
  const reduceTo = options.pcaDimensions ?? DEFAULT_PCA_DIMENSIONS;
  let space = data;
  let width = d;
  if (d > reduceTo && m > reduceTo) {
    const model = pcaFit(m === n ? data : gatherRows(data, d, fitRows), m, d, { nComponents: reduceTo, randomState: seed, shouldStop: options.shouldStop });
    space = pcaTransform(model, data, n);
    width = reduceTo;
  }
  throwIfCanceled(options.shouldStop);
  const fitSpace = m === n ? space : gatherRows(space, width, fitRows);
  const index = new NeighborIndex(fitSpace, m, width, { shouldStop: options.shouldStop });
  // Each fitted row finds itself first, at distance 0, as umap-js's own search does.
  const knn = index.kneighbors(fitSpace, m, nNeighbors);
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  const fitVectors: number[][] = [];
  for (let i = 0; i < m; i++) {
    knnIndices.push(Array.from(knn.indices.subarray(i * nNeighbors, (i + 1) * nNeighbors)));
    knnDistances.push(Array.from(knn.distances.subarray(i * nNeighbors, (i + 1) * nNeighbors)));
    fitVectors.push(Array.from(fitSpace.subarray(i * width, (i + 1) * width)));
  }

  const fitted = new Uint8Array(n);
  for (let i = 0; i < m; i++) fitted[fitRows[i]!] = 1;
  const placeRows = new Int32Array(n - m);
  for (let i = 0, t = 0; i < n; i++) if (!fitted[i]) placeRows[t++] = i;
  let placeIndices: Int32Array = new Int32Array(0);
  const placeWeights = new Float64Array(placeRows.length * nNeighbors);
  if (placeRows.length > 0) {
    const queries = gatherRows(space, width, placeRows);
    const found = index.kneighbors(queries, placeRows.length, nNeighbors);
    placeIndices = found.indices;
    for (let t = 0; t < placeRows.length; t++) {
      const o = t * nNeighbors;
      const nearest = found.distances[o]!;
      let sigma = 0;
      for (let j = 0; j < nNeighbors; j++) sigma += found.distances[o + j]! - nearest;
      sigma /= nNeighbors;
      let total = 0;
      for (let j = 0; j < nNeighbors; j++) {
        const w = sigma > 0 ? Math.exp(-(found.distances[o + j]! - nearest) / sigma) : 1;
        placeWeights[o + j] = w;
        total += w;
      }
      for (let j = 0; j < nNeighbors; j++) placeWeights[o + j]! /= total;
    }
  }
  return { n, fitRows, fitVectors, knnIndices, knnDistances, nNeighbors, placeIndices, placeWeights, placeRows, searchDimensions: width };
}

function layout(prepared: Prepared, nComponents: number, options: UmapOptions): Float32Array {
  const rng = createRng((options.randomState ?? 0) + nComponents);
  const umap = new UMAP({
    nComponents,
    nNeighbors: prepared.nNeighbors,
    minDist: options.minDist ?? 0.1,
    nEpochs: options.nEpochs ?? DEFAULT_EPOCHS,
    random: () => rng.nextFloat(),
  });
  umap.setPrecomputedKNN(prepared.knnIndices, prepared.knnDistances);
  const epochs = umap.initializeFit(prepared.fitVectors);
  for (let e = 0; e < epochs; e++) {
    if ((e & 7) === 0) throwIfCanceled(options.shouldStop);
    umap.step();
  }
  const fitted = umap.getEmbedding();
  const { n, fitRows, placeRows, placeIndices, placeWeights, nNeighbors } = prepared;
  const out = new Float32Array(n * nComponents);
  for (let i = 0; i < fitRows.length; i++) {
    const p = fitted[i]!;
    for (let c = 0; c < nComponents; c++) out[fitRows[i]! * nComponents + c] = p[c]!;
  }
  for (let t = 0; t < placeRows.length; t++) {
    const o = t * nNeighbors;
    const target = placeRows[t]! * nComponents;
    for (let j = 0; j < nNeighbors; j++) {
      const p = fitted[placeIndices[o + j]!]!;
      const w = placeWeights[o + j]!;
      for (let c = 0; c < nComponents; c++) out[target + c] += w * p[c]!;
    }
  }
  return out;
}

/** One layout per entry of `components` (e.g. [2, 3]), sharing the neighbour searches. */
export function umapLayouts(
  data: Float32Array,
  n: number,
  d: number,
  components: number[],
  options: Omit<UmapOptions, 'nComponents'> = {},
): { embeddings: Float32Array[]; fittedPoints: number; searchDimensions: number } {
  checkMatrix(data, n, d);
  check(n, options);
  for (const c of components) if (!Number.isInteger(c) || c < 1) throw new RangeError(`nComponents must be a positive integer, got ${c}`);
  const prepared = prepare(data, n, d, options);
  return {
    embeddings: components.map((c) => layout(prepared, c, options)),
    fittedPoints: prepared.fitRows.length,
    searchDimensions: prepared.searchDimensions,
  };
}

/** A UMAP embedding of every row (see the module comment for how large inputs are handled). */
export function umap(data: Float32Array, n: number, d: number, options: UmapOptions = {}): UmapResult {
  const result = umapLayouts(data, n, d, [options.nComponents ?? 2], options);
  return { embedding: result.embeddings[0]!, fittedPoints: result.fittedPoints, searchDimensions: result.searchDimensions };
}
