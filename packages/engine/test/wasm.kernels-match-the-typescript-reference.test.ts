import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tsKernels } from '../src/linalg/ts-kernels.ts';
import { createWasmKernels } from '../src/wasm/wasm-kernels.ts';
import type { Residency, RowBuffer, RowSet, Workspace } from '../src/linalg/kernel-types.ts';
import { uniformMatrix } from './helpers/random-data.ts';

const wasm = createWasmKernels();

/** Exact float64 dot product of two float32 rows (products are exact in float64). */
function exactDot(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
  return s;
}

function offsetMatrix(n: number, d: number, seed: number, offset: number): Float32Array {
  const m = uniformMatrix(n, d, seed);
  for (let i = 0; i < m.length; i++) m[i] += offset + (i % d) * 0.01;
  return m;
}

function meanOf(data: Float32Array, n: number, d: number): Float32Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d] += data[i] / n;
  return Float32Array.from(mean);
}

interface Setup {
  ws: Workspace;
  rows: RowSet;
  centers: RowBuffer;
  origin: Float32Array;
}

function setup(data: Float32Array, n: number, centers: Float32Array, k: number, d: number, residency: Residency): Setup {
  const ws = wasm.open(d);
  const origin = meanOf(data, n, d);
  const rows = ws.matrix(data, n, origin, residency);
  const buffer = ws.buffer(k, origin);
  buffer.set(centers, k);
  return { ws, rows, centers: buffer, origin };
}

// Shapes cover padding (d not a multiple of 4, row and center counts not
// multiples of 4), single blocks and several float32 blocks.
const SHAPES: Array<[number, number, number]> = [
  [37, 1, 3],
  [50, 2, 5],
  [131, 7, 9],
  [64, 13, 4],
  [203, 64, 50],
  [97, 130, 11],
  [66, 768, 6],
];

describe('the WebAssembly kernels match the TypeScript reference', () => {
  for (const [n, d, k] of SHAPES) {
    describe(`${n} rows × ${k} centers, d = ${d}`, () => {
      const data = offsetMatrix(n, d, n + d, 5);
      const centers = offsetMatrix(k, d, 7 * k + d, 5);
      const geometry = (s: Setup) => s.centers.geometry;

      it('translated dot products are within the stated error bound of the exact ones', () => {
        const s = setup(data, n, centers, k, d, 'always');
        const kappa = wasm.dotErrorBound(d);
        const dots = new Float64Array(n * k);
        s.rows.dots(0, n, s.centers, dots);
        const x = new Float32Array(n * d);
        for (let i = 0; i < n * d; i++) x[i] = data[i] - s.origin[i % d];
        const g = geometry(s);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < k; c++) {
            let scale = 0;
            for (let t = 0; t < d; t++) scale += Math.abs(x[i * d + t] * g[c * d + t]);
            const err = Math.abs(dots[i * k + c] - exactDot(x, i, g, c, d));
            assert.ok(err <= kappa * scale, `pair (${i}, ${c}): error ${err} > ${kappa * scale}`);
          }
        }
        s.ws.close();
      });

      it('every kernel gives a pair the same value (tile, gathered, streamed)', () => {
        const resident = setup(data, n, centers, k, d, 'always');
        const streamed = setup(data, n, centers, k, d, 'stream');
        const tile = new Float64Array(n * k);
        resident.rows.dots(0, n, resident.centers, tile);
        const again = new Float64Array(n * k);
        streamed.rows.dots(0, n, streamed.centers, again);
        assert.deepEqual(again, tile, 'streamed rows');
        const ids = Int32Array.from({ length: k }, (_, t) => k - 1 - t);
        const gathered = new Float64Array(k);
        for (let i = 0; i < n; i++) {
          resident.rows.dotsGathered(i, resident.centers, ids, k, gathered);
          for (let t = 0; t < k; t++) assert.equal(gathered[t], tile[i * k + ids[t]], `gathered (${i}, ${ids[t]})`);
        }
        resident.ws.close();
        streamed.ws.close();
      });

      it('nearest centers agree with the TypeScript kernels and with the products', () => {
        const s = setup(data, n, centers, k, d, 'stream');
        const labels = new Int32Array(n);
        const values = new Float64Array(n);
        s.rows.nearest(0, n, s.centers, labels, values);
        const dots = new Float64Array(n * k);
        s.rows.dots(0, n, s.centers, dots);
        const ref = tsKernels.open(d);
        const refRows = ref.matrix(data, n, null, 'always');
        const refCenters = ref.buffer(k, null);
        refCenters.set(centers, k);
        const refLabels = new Int32Array(n);
        refRows.nearest(0, n, refCenters, refLabels, null);
        let disagreements = 0;
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let c = 1; c < k; c++) {
            if (s.centers.norms[c] - 2 * dots[i * k + c] < s.centers.norms[best] - 2 * dots[i * k + best]) best = c;
          }
          assert.equal(labels[i], best, `row ${i}: label is the argmin of the products`);
          assert.equal(values[i], s.centers.norms[best] - 2 * dots[i * k + best]);
          if (labels[i] !== refLabels[i]) disagreements++;
        }
        // Only exact near-ties may resolve differently in float32 and float64.
        assert.ok(disagreements <= n / 100, `${disagreements} labels differ from the TypeScript kernels`);
        s.ws.close();
      });

      it('column statistics, label sums and distances to centers equal the TypeScript ones', () => {
        const ws = wasm.open(d);
        const ref = tsKernels.open(d);
        const mean = ws.columnMeans(data, n);
        assert.deepEqual(mean, ref.columnMeans(data, n), 'column means (same float64 order)');
        assert.deepEqual(ws.columnSquaredDeviations(data, n, mean), ref.columnSquaredDeviations(data, n, mean));
        const labels = Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : i % k));
        const sums = new Float64Array(k * d).fill(0.5);
        const refSums = sums.slice();
        ws.addRowsByLabel(data, n, labels, sums);
        ref.addRowsByLabel(data, n, labels, refSums);
        assert.deepEqual(sums, refSums, 'label sums (same float64 order)');
        const centers64 = Float64Array.from(centers);
        const dist = new Float64Array(n);
        const refDist = new Float64Array(n);
        ws.squaredDistancesToCenters(data, n, labels, centers64, dist);
        ref.squaredDistancesToCenters(data, n, labels, centers64, refDist);
        for (let i = 0; i < n; i++) {
          assert.ok(Math.abs(dist[i] - refDist[i]) <= 1e-12 * refDist[i], `row ${i}: ${dist[i]} vs ${refDist[i]}`);
          if (labels[i] < 0) assert.equal(dist[i], 0);
        }
        ws.close();
      });

      it('distance sums by label agree with the TypeScript kernels to float32 precision', () => {
        const ws = wasm.open(d);
        const ref = tsKernels.open(d);
        const codes = Int32Array.from({ length: n }, (_, i) => (i * 13) % 3);
        const rows = ws.matrix(data, n, meanOf(data, n, d), 'always');
        const sums = rows.distanceSumsByLabel(codes, 3);
        const refSums = ref.matrix(data, n, null, 'always').distanceSumsByLabel(codes, 3);
        const block = new Float64Array(n * 3);
        rows.distanceSumsByLabelForRows(0, n, codes, 3, block);
        for (let i = 0; i < n * 3; i++) {
          assert.ok(Math.abs(sums[i] - refSums[i]) <= 1e-5 * refSums[i] + 1e-9, `sum ${i}: ${sums[i]} vs ${refSums[i]}`);
          assert.ok(Math.abs(block[i] - sums[i]) <= 1e-9 * sums[i] + 1e-12, `row-block sum ${i}`);
        }
        ws.close();
      });
    });
  }

  it('streams a matrix through linear memory block by block with the same results as a resident copy', () => {
    const n = 1100;
    const d = 33;
    const k = 7;
    const data = offsetMatrix(n, d, 3, -2);
    const centers = offsetMatrix(k, d, 4, -2);
    const resident = setup(data, n, centers, k, d, 'always');
    const streamed = setup(data, n, centers, k, d, 'stream');
    assert.deepEqual(streamed.rows.norms, resident.rows.norms);
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    resident.rows.nearest(0, n, resident.centers, a, null);
    streamed.rows.nearest(0, n, streamed.centers, b, null);
    assert.deepEqual(b, a);
    // Random access (Elkan visits rows in order, but gathered calls may jump).
    const out = new Float64Array(k);
    const outRef = new Float64Array(k);
    const ids = Int32Array.from({ length: k }, (_, t) => t);
    for (const i of [1099, 3, 517, 518, 0, 1098]) {
      streamed.rows.dotsGathered(i, streamed.centers, ids, k, out);
      resident.rows.dotsGathered(i, resident.centers, ids, k, outRef);
      assert.deepEqual(out, outRef, `row ${i}`);
    }
    resident.ws.close();
    streamed.ws.close();
  });

  it('Elkan bounds and k-means++ state work the same on streamed and resident rows', () => {
    const n = 1300;
    const d = 20;
    const k = 9;
    const data = offsetMatrix(n, d, 8, 3);
    const first = offsetMatrix(k, d, 9, 3);
    const moved = first.map((v, i) => v + 0.01 * ((i % 5) - 2));
    const run = (residency: Residency) => {
      const s = setup(data, n, first, k, d, residency);
      const margins = { rowError: 2 * wasm.dotErrorBound(d), normError: 1e-13, maxNorm: 5 };
      const bounds = s.ws.elkanBounds(s.rows, s.centers);
      const labels = new Int32Array(n);
      bounds.start(labels, margins);
      const started = labels.slice();
      s.centers.set(moved, k);
      // Every coordinate moved by at most 0.02, so no center moved more than 0.02·√d < 0.1.
      const shift = new Float64Array(k).fill(0.1);
      const half = new Float64Array(k * k);
      const nearestHalf = new Float64Array(k);
      const changed = bounds.step(labels, shift, half, nearestHalf, margins);
      const candidates = s.ws.buffer(3, s.origin);
      candidates.set(data.subarray(0, 3 * d), 1);
      const seeding = s.ws.seeding(s.rows, candidates, k);
      const pot = seeding.start();
      candidates.set(data.subarray(5 * d, 8 * d), 3);
      const pots = new Float64Array(3);
      seeding.evaluate(new Float64Array(3 * k).fill(1e9), pots);
      seeding.accept(1, 1);
      const closest = seeding.closest().slice();
      s.ws.close();
      return { started, labels, changed, pot, pots, closest };
    };
    const streamed = run('stream');
    const resident = run('always');
    assert.deepEqual(streamed, resident);
    // With valid (if loose) bounds the step must agree with an exhaustive
    // search on the moved centers.
    const check = setup(data, n, moved, k, d, 'always');
    const exhaustive = new Int32Array(n);
    check.rows.nearest(0, n, check.centers, exhaustive, null);
    assert.deepEqual(resident.labels, exhaustive);
    check.ws.close();
  });

  it('refuses to mix rows from different workspaces and to work after close()', () => {
    const d = 4;
    const a = wasm.open(d);
    const b = wasm.open(d);
    const data = uniformMatrix(10, d, 1);
    const rows = a.matrix(data, 10, null, 'always');
    const other = b.buffer(2, null);
    other.set(data, 2);
    assert.throws(() => rows.nearest(0, 10, other, new Int32Array(10), null), /another kernel workspace/);
    a.close();
    b.close();
    assert.throws(() => a.buffer(3, null), /after close/);
  });
});
