/**
 * The plain TypeScript kernels: float64 accumulation in column order (see
 * dot-block.ts), rows used untranslated. Slower than the WebAssembly backend
 * but simple enough to serve as its reference in the tests.
 */
import { dotBlock, dotGathered, rowSquaredNorms } from './dot-block.ts';
import { throwIfCanceled } from '../errors.ts';
import { ownsBlock, type ElkanBounds, type Kernels, type RowBuffer, type RowSet, type Seeding, type SumsPart, type Workspace } from './kernel-types.ts';
import { TsElkanBounds } from './ts-elkan.ts';
import { TsSeeding } from './ts-seeding.ts';

const TILE = 64;

export const tsKernels: Kernels = {
  name: 'typescript',
  // Products of float32 values are exact in float64; only the d − 1 sums round.
  dotErrorBound: (d) => (d + 2) * 2 ** -53,
  open: (d) => new TsWorkspace(d),
};

class TsWorkspace implements Workspace {
  constructor(readonly d: number) {}

  columnMeans(data: Float32Array, n: number): Float64Array {
    const d = this.d;
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) mean[j] += data[o + j];
    }
    for (let j = 0; j < d; j++) mean[j] /= n;
    return mean;
  }

  columnSquaredDeviations(data: Float32Array, n: number, mean: Float64Array): Float64Array {
    const d = this.d;
    const out = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const t = data[o + j] - mean[j];
        out[j] += t * t;
      }
    }
    return out;
  }

  addRowsByLabel(data: Float32Array, n: number, labels: Int32Array, sums: Float64Array): void {
    const d = this.d;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l < 0) continue;
      const o = i * d;
      const s = l * d;
      for (let j = 0; j < d; j++) sums[s + j] += data[o + j];
    }
  }

  squaredDistancesToCenters(
    data: Float32Array,
    n: number,
    labels: Int32Array,
    centers: Float64Array,
    out: Float64Array,
  ): void {
    const d = this.d;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l < 0) {
        out[i] = 0;
        continue;
      }
      const o = i * d;
      const c = l * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[o + j] - centers[c + j];
        s += t * t;
      }
      out[i] = s;
    }
  }

  matrix(data: Float32Array, n: number): RowSet {
    return new TsRows(data, n, this.d);
  }

  buffer(capacity: number): RowBuffer {
    return new TsBuffer(capacity, this.d);
  }

  seeding(rows: RowSet, candidates: RowBuffer, k: number): Seeding {
    return new TsSeeding(rows, candidates, k);
  }

  elkanBounds(rows: RowSet, centers: RowBuffer): ElkanBounds {
    return new TsElkanBounds(rows, centers);
  }

  close(): void {}
}

class TsRows implements RowSet {
  norms: Float64Array;
  private scratch: Float64Array = new Float64Array(0);

  constructor(
    protected data: Float32Array,
    public count: number,
    protected readonly d: number,
  ) {
    this.norms = rowSquaredNorms(data, count, d);
  }

  dots(r0: number, rows: number, other: RowBuffer, out: Float64Array): void {
    dotBlock(this.data, r0, rows, tsData(other), 0, other.count, this.d, out);
  }

  nearest(r0: number, rows: number, other: RowBuffer, labels: Int32Array, values: Float64Array | null): void {
    const k = other.count;
    const centerNorms = other.norms;
    const dots = this.scratchOf(TILE * k);
    for (let b0 = r0; b0 < r0 + rows; b0 += TILE) {
      const count = Math.min(TILE, r0 + rows - b0);
      dotBlock(this.data, b0, count, tsData(other), 0, k, this.d, dots);
      for (let r = 0; r < count; r++) {
        const o = r * k;
        let best = 0;
        let bestValue = centerNorms[0] - 2 * dots[o];
        for (let c = 1; c < k; c++) {
          const v = centerNorms[c] - 2 * dots[o + c];
          if (v < bestValue) {
            bestValue = v;
            best = c;
          }
        }
        labels[b0 + r] = best;
        if (values !== null) values[b0 + r] = bestValue;
      }
    }
  }

  dotsGathered(i: number, other: RowBuffer, ids: Int32Array, count: number, out: Float64Array): void {
    dotGathered(this.data, i, tsData(other), ids, count, this.d, out);
  }

  distanceSumsByLabel(codes: Int32Array, nLabels: number, shouldStop?: () => boolean, part?: SumsPart): Float64Array {
    const { data, count: m, d, norms } = this;
    const sums = new Float64Array(m * nLabels);
    const tile = this.scratchOf(TILE * TILE);
    for (let i0 = 0; i0 < m; i0 += TILE) {
      if (!ownsBlock(i0 / TILE, part)) continue;
      throwIfCanceled(shouldStop);
      const ib = Math.min(TILE, m - i0);
      for (let j0 = i0; j0 < m; j0 += TILE) {
        const jb = Math.min(TILE, m - j0);
        dotBlock(data, i0, ib, data, j0, jb, d, tile);
        for (let r = 0; r < ib; r++) {
          const i = i0 + r;
          const ni = norms[i];
          const ci = codes[i];
          const si = i * nLabels;
          const to = r * jb;
          // Within a diagonal tile only the upper triangle is new.
          for (let c = j0 === i0 ? r + 1 : 0; c < jb; c++) {
            const j = j0 + c;
            const v = ni + norms[j] - 2 * tile[to + c];
            const dist = v > 0 ? Math.sqrt(v) : 0;
            sums[si + codes[j]] += dist;
            sums[j * nLabels + ci] += dist;
          }
        }
      }
    }
    return sums;
  }

  distanceSumsByLabelForRows(i0: number, rows: number, codes: Int32Array, nLabels: number, out: Float64Array): void {
    const { data, count: m, d, norms } = this;
    out.fill(0, 0, rows * nLabels);
    const tile = this.scratchOf(rows * TILE);
    for (let j0 = 0; j0 < m; j0 += TILE) {
      const jb = Math.min(TILE, m - j0);
      dotBlock(data, i0, rows, data, j0, jb, d, tile);
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        const ni = norms[i];
        const so = r * nLabels;
        const to = r * jb;
        for (let c = 0; c < jb; c++) {
          const j = j0 + c;
          if (j === i) continue;
          const v = ni + norms[j] - 2 * tile[to + c];
          out[so + codes[j]] += v > 0 ? Math.sqrt(v) : 0;
        }
      }
    }
  }

  private scratchOf(length: number): Float64Array {
    if (this.scratch.length < length) this.scratch = new Float64Array(length);
    return this.scratch;
  }
}

class TsBuffer extends TsRows implements RowBuffer {
  readonly geometry: Float32Array;

  constructor(
    readonly capacity: number,
    d: number,
  ) {
    super(new Float32Array(capacity * d), 0, d);
    this.geometry = this.data;
    this.norms = new Float64Array(capacity);
  }

  set(values: Float32Array, count: number): void {
    if (count > this.capacity) throw new RangeError(`buffer holds ${this.capacity} rows, got ${count}`);
    this.data.set(values.subarray(0, count * this.d));
    this.count = count;
    rowSquaredNorms(this.data, count, this.d, this.norms);
  }
}

function tsData(rows: RowBuffer): Float32Array {
  if (!(rows instanceof TsBuffer)) throw new TypeError('rows from another kernel backend');
  return rows.geometry;
}
