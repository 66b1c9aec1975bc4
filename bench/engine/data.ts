/**
 * Synthetic data sets for the engine benchmark, generated from a fixed seed and
 * written as raw little-endian float32 (row-major n×d) plus int32 ground-truth
 * labels (-1 for uniform noise), which numpy.fromfile and R's readBin read
 * directly.
 *
 * Rows are drawn one after another from a single stream (cluster chosen at
 * random per row), so the first m rows of a larger file are exactly the data
 * set of size m, already in random order. Tasks that need a subset (R's
 * HDBSCAN on 20k of 50k) read a prefix, and one file serves every task that
 * shares a generator spec.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../packages/engine/src/rng.ts';
import type { Rng } from '../../packages/engine/src/rng.ts';

/** Bump when the generators change so cached files are not reused. */
const GENERATOR_VERSION = 1;

/**
 * Gaussian blobs: centres uniform in [-box, box]^d, isotropic normal spread,
 * and a fraction of rows uniform over the box widened by 3·spread (label -1).
 */
export interface BlobsSpec {
  kind: 'blobs';
  d: number;
  centers: number;
  spread: number;
  box: number;
  noiseFraction: number;
  seed: number;
}

/**
 * Embedding-like: K random unit directions; a row is its centre plus
 * isotropic noise of total norm ≈ spread, projected back onto the unit sphere.
 */
export interface SphereSpec {
  kind: 'sphere';
  d: number;
  centers: number;
  spread: number;
  seed: number;
}

export type DatasetSpec = BlobsSpec | SphereSpec;

export interface DatasetFile {
  spec: DatasetSpec;
  rows: number;
  path: string;
  labelsPath: string;
}

export function describeSpec(spec: DatasetSpec): string {
  if (spec.kind === 'blobs') {
    const noise = spec.noiseFraction > 0 ? ` + ${spec.noiseFraction * 100}% uniform noise` : '';
    return `gaussian blobs d=${spec.d}, ${spec.centers} centres in [-${spec.box},${spec.box}]^d, σ=${spec.spread}${noise}, seed ${spec.seed}`;
  }
  return `unit-sphere embeddings d=${spec.d}, ${spec.centers} directions, noise norm ${spec.spread}, seed ${spec.seed}`;
}

function specKey(spec: DatasetSpec): string {
  return createHash('sha1')
    .update(JSON.stringify({ v: GENERATOR_VERSION, ...spec }))
    .digest('hex')
    .slice(0, 16);
}

/** Reuses a cached file with at least `rows` rows for the same spec, else generates one. */
export function ensureDataset(dir: string, spec: DatasetSpec, rows: number, log: (line: string) => void): DatasetFile {
  mkdirSync(dir, { recursive: true });
  const key = specKey(spec);
  const path = join(dir, `${key}.f32`);
  const labelsPath = join(dir, `${key}.labels.i32`);
  const metaPath = join(dir, `${key}.json`);
  if (existsSync(metaPath) && existsSync(path) && existsSync(labelsPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { rows: number };
    if (meta.rows >= rows) return { spec, rows: meta.rows, path, labelsPath };
  }
  const t0 = performance.now();
  generate(spec, rows, `${path}.tmp`, `${labelsPath}.tmp`);
  renameSync(`${path}.tmp`, path);
  renameSync(`${labelsPath}.tmp`, labelsPath);
  writeFileSync(metaPath, JSON.stringify({ spec, rows, generatorVersion: GENERATOR_VERSION }));
  log(`generated ${rows}×${spec.d} (${describeSpec(spec)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${path}`);
  return { spec, rows, path, labelsPath };
}

function gaussianSource(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - rng.nextFloat()));
    const theta = 2 * Math.PI * rng.nextFloat();
    spare = r * Math.sin(theta);
    hasSpare = true;
    return r * Math.cos(theta);
  };
}

/** Cluster proportions uniform in [0.5, 1.5] before normalising, so sizes differ up to 3×. */
function clusterCumulativeWeights(rng: Rng, k: number): Float64Array {
  const cumulative = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) {
    total += 0.5 + rng.nextFloat();
    cumulative[c] = total;
  }
  for (let c = 0; c < k; c++) cumulative[c] /= total;
  return cumulative;
}

function pickCluster(cumulative: Float64Array, u: number): number {
  let c = 0;
  while (c < cumulative.length - 1 && u >= cumulative[c]) c++;
  return c;
}

type RowWriter = (row: Float32Array, rng: Rng, gauss: () => number) => number;

function blobsRowWriter(spec: BlobsSpec, rng: Rng, gauss: () => number): RowWriter {
  const { d, centers: k, box, spread, noiseFraction } = spec;
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = (2 * rng.nextFloat() - 1) * box;
  const cumulative = clusterCumulativeWeights(rng, k);
  const noiseHalfWidth = box + 3 * spread;
  return (row) => {
    if (noiseFraction > 0 && rng.nextFloat() < noiseFraction) {
      for (let j = 0; j < d; j++) row[j] = (2 * rng.nextFloat() - 1) * noiseHalfWidth;
      return -1;
    }
    const c = pickCluster(cumulative, rng.nextFloat());
    for (let j = 0; j < d; j++) row[j] = centres[c * d + j] + spread * gauss();
    return c;
  };
}

function sphereRowWriter(spec: SphereSpec, rng: Rng, gauss: () => number): RowWriter {
  const { d, centers: k, spread } = spec;
  const directions = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = gauss();
      directions[c * d + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) directions[c * d + j] /= norm;
  }
  const cumulative = clusterCumulativeWeights(rng, k);
  const noiseScale = spread / Math.sqrt(d);
  const values = new Float64Array(d);
  return (row) => {
    const c = pickCluster(cumulative, rng.nextFloat());
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = directions[c * d + j] + noiseScale * gauss();
      values[j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) row[j] = values[j] / norm;
    return c;
  };
}

function generate(spec: DatasetSpec, rows: number, path: string, labelsPath: string): void {
  const rng = createRng(spec.seed);
  const gauss = gaussianSource(rng);
  const writeRow = spec.kind === 'blobs' ? blobsRowWriter(spec, rng, gauss) : sphereRowWriter(spec, rng, gauss);
  const chunkRows = 4096;
  const chunk = new Float32Array(chunkRows * spec.d);
  const labels = new Int32Array(rows);
  const fd = openSync(path, 'w');
  try {
    for (let start = 0; start < rows; start += chunkRows) {
      const count = Math.min(chunkRows, rows - start);
      for (let r = 0; r < count; r++) labels[start + r] = writeRow(chunk.subarray(r * spec.d, (r + 1) * spec.d), rng, gauss);
      writeSync(fd, bytesOf(chunk.subarray(0, count * spec.d)));
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(labelsPath, bytesOf(labels));
}

// Typed arrays use the host's byte order; every machine Node supports in practice is little-endian.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the benchmark data files are little-endian; this host is not');

function bytesOf(values: Float32Array | Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function writeArray(path: string, values: Float32Array | Int32Array | Float64Array): void {
  writeFileSync(path, bytesOf(values));
}

/** Reads the first `count` values of a file written by `generate` or by a child. */
/** `shared`: into a SharedArrayBuffer, as the server hands rows to the engine (combineFeatures). */
export function readFloat32(path: string, count: number, shared = false): Float32Array {
  return new Float32Array(readPrefix(path, count * 4, shared));
}

export function readInt32(path: string, count: number): Int32Array {
  return new Int32Array(readPrefix(path, count * 4));
}

export function readFloat64(path: string, count: number): Float64Array {
  return new Float64Array(readPrefix(path, count * 8));
}

function readPrefix(path: string, byteCount: number, shared = false): ArrayBuffer | SharedArrayBuffer {
  const buffer = shared ? new SharedArrayBuffer(byteCount) : new ArrayBuffer(byteCount);
  const view = new Uint8Array(buffer);
  const fd = openSync(path, 'r');
  try {
    let offset = 0;
    while (offset < byteCount) {
      // readSync caps a single read at 2 GiB.
      const read = readSync(fd, view, offset, Math.min(byteCount - offset, 1 << 30), offset);
      if (read === 0) throw new Error(`${path} holds fewer than ${byteCount} bytes`);
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
  return buffer;
}
