/// <reference path="./webassembly.d.ts" />
/**
 * The WebAssembly SIMD backend of the distance kernels (see
 * packages/engine/assembly/kernels.ts for the kernels and their layouts).
 *
 * Memory. Every workspace runs on its own instance with its own linear memory,
 * managed here as a bump allocator: nothing is freed until the workspace
 * closes. A closed workspace's instance is kept for the next one if its memory
 * stayed small, otherwise dropped so the garbage collector can return it (wasm
 * memory never shrinks). Large matrices are not required to fit: 'if-small'
 * matrices above RESIDENT_MAX_BYTES are streamed through a staging panel
 * block by block, so 1M×768 float32 never has to be in linear memory at once.
 *
 * Precision. Rows are translated by −origin in float32 while being packed, and
 * dot products follow the canonical order described in kernels.ts; squared
 * norms, column statistics and direct differences are computed in float64.
 */
import {
  ownsBlock,
  type ElkanBounds,
  type ElkanMargins,
  type Kernels,
  type Residency,
  type RowBuffer,
  type RowSet,
  type Seeding,
  type SumsPart,
  type Workspace,
} from '../linalg/kernel-types.ts';
import { throwIfCanceled } from '../errors.ts';
import { decodeBase64 } from './base64.ts';
import { KERNELS_WASM_BASE64 } from './kernels.generated.ts';

type Ptr = number;

interface KernelExports {
  memory: WebAssembly.Memory;
  dotTile(aPanel: Ptr, aRow0: number, aRows: number, bPanel: Ptr, bGroups: number, dp: number, out: Ptr, outStride: number): void;
  nearest(
    aPanel: Ptr, aRow0: number, aRows: number, bPanel: Ptr, bCount: number, dp: number,
    bNorms: Ptr, scratch: Ptr, labels: Ptr, values: Ptr,
  ): void;
  dotGathered(aPanel: Ptr, aRow: number, bPanel: Ptr, ids: Ptr, count: number, dp: number, out: Ptr): void;
  packRows(src: Ptr, rows: number, d: number, dp: number, origin: Ptr, dst: Ptr): void;
  panelNorms(panel: Ptr, rows: number, dp: number, out: Ptr): void;
  addPairDistances(
    panel: Ptr, i0: number, ib: number, j0: number, jb: number, dp: number,
    norms: Ptr, codes: Ptr, nLabels: number, sums: Ptr, scratch: Ptr, symmetric: number,
  ): void;
  addColumns(src: Ptr, rows: number, d: number, sums: Ptr): void;
  addSquaredDeviations(src: Ptr, rows: number, d: number, mean: Ptr, out: Ptr): void;
  addRowsByLabel(src: Ptr, rows: number, d: number, labels: Ptr, sums: Ptr): void;
  squaredDistancesToCenters(src: Ptr, rows: number, d: number, labels: Ptr, centers: Ptr, out: Ptr): void;
  elkanStart(
    aPanel: Ptr, aRow0: number, rows: number, bPanel: Ptr, k: number, dp: number, cNorms: Ptr,
    xNorms: Ptr, labels: Ptr, upper: Ptr, lower: Ptr,
    rowError: number, normError: number, maxNorm: number, scratch: Ptr,
  ): void;
  elkanStep(
    aPanel: Ptr, aRow0: number, rows: number, bPanel: Ptr, k: number, dp: number, cNorms: Ptr,
    xNorms: Ptr, labels: Ptr, upper: Ptr, lower: Ptr,
    shift: Ptr, drift: Ptr, halfDist: Ptr, nearestHalf: Ptr,
    rowError: number, normError: number, maxNorm: number, ids: Ptr, gathered: Ptr,
  ): number;
  seedingStart(
    aPanel: Ptr, aRow0: number, rows: number, candPanel: Ptr, dp: number, xNorms: Ptr, candNorm: number,
    closest: Ptr, nearest: Ptr,
  ): void;
  seedingDistances(
    aPanel: Ptr, aRow0: number, rows: number, candPanel: Ptr, trials: number, dp: number,
    xNorms: Ptr, candNorms: Ptr, closest: Ptr, nearest: Ptr, candToCenter: Ptr, k: number,
    dist: Ptr, pots: Ptr, mask: Ptr, ids: Ptr, gathered: Ptr, scratch: Ptr,
  ): void;
  seedingAccept(rows: number, trials: number, best: number, center: number, dist: Ptr, closest: Ptr, nearest: Ptr): void;
}

/** Rows handed to one kernel call; a streamed matrix stages twice as many so any call's rows fit. */
const CALL_ROWS = 128;
const STAGE_ROWS = 2 * CALL_ROWS;
/** Row-major rows per block of the O(n·d) passes. */
const PASS_ROWS = 1024;
/** An 'if-small' matrix whose packed copy would exceed this is streamed instead. */
const RESIDENT_MAX_BYTES = 1 << 30;
/** An idle instance is kept for reuse only while its memory is at most this large. */
const REUSE_MAX_BYTES = 64 << 20;
const SILHOUETTE_ROWS = 64;
const SILHOUETTE_COLUMNS = 256;
const PAGE_BYTES = 65536;
/** Lanes are summed in float32 over blocks of this many values (kernels.ts CHUNKS_PER_BLOCK × 4). */
const FLOAT32_BLOCK = 128;

let compiled: WebAssembly.Module | null = null;
let idle: KernelExports | null = null;

/** Throws where WebAssembly or its SIMD extension is unavailable. */
export function createWasmKernels(): Kernels {
  compiled ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  return {
    name: 'wasm',
    // A lane adds FLOAT32_BLOCK/4 rounded float32 products in float32 (each step
    // errs by ≤ 2⁻²⁴ of a partial sum bounded by Σ|xⱼyⱼ|); the float64 stages add
    // a few ulps per block.
    dotErrorBound: (d) => (FLOAT32_BLOCK / 4 + 2) * 2 ** -24 + (d / FLOAT32_BLOCK + 4) * 2 ** -52,
    open: (d) => new WasmWorkspace(d, takeInstance()),
  };
}

function takeInstance(): KernelExports {
  const reused = idle;
  idle = null;
  return reused ?? (new WebAssembly.Instance(compiled!, {}).exports as unknown as KernelExports);
}

function roundUp4(v: number): number {
  return Math.ceil(v / 4) * 4;
}

class LinearMemory {
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  private top = 64;

  constructor(private readonly memory: WebAssembly.Memory) {
    this.refresh();
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** 16-byte aligned, contents undefined (memory may be reused). */
  alloc(bytes: number): Ptr {
    const ptr = Math.ceil(this.top / 16) * 16;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
      this.refresh();
    }
    this.top = end;
    return ptr;
  }

  /** Views are replaced whenever memory grows (the old buffer is detached). */
  private refresh(): void {
    const buffer = this.memory.buffer;
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }
}

class WasmWorkspace implements Workspace {
  readonly dp: number;
  readonly mem: LinearMemory;
  private readonly regions = new Map<string, { ptr: Ptr; bytes: number }>();
  private closed = false;

  constructor(
    readonly d: number,
    private readonly exports: KernelExports,
  ) {
    this.dp = roundUp4(d);
    this.mem = new LinearMemory(exports.memory);
  }

  /** The kernels; refused after close(), when the instance may already serve another workspace. */
  get x(): KernelExports {
    this.assertOpen();
    return this.exports;
  }

  /** Scratch space reused across calls under a name; reallocated when a call needs more. */
  region(name: string, bytes: number): Ptr {
    this.assertOpen();
    const known = this.regions.get(name);
    if (known !== undefined && known.bytes >= bytes) return known.ptr;
    const ptr = this.alloc(bytes);
    this.regions.set(name, { ptr, bytes });
    return ptr;
  }

  alloc(bytes: number): Ptr {
    this.assertOpen();
    return this.mem.alloc(bytes);
  }

  /** Copies origin (or zeros) into a fresh float32 vector of dp values. */
  uploadOrigin(origin: Float32Array | null): Ptr {
    const ptr = this.alloc(this.dp * 4);
    this.mem.f32.fill(0, ptr / 4, ptr / 4 + this.dp);
    if (origin !== null) this.mem.f32.set(origin.subarray(0, this.d), ptr / 4);
    return ptr;
  }

  columnMeans(data: Float32Array, n: number): Float64Array {
    const sums = this.zeroed('columns', this.d);
    this.pass(data, n, null, (src, rows) => this.x.addColumns(src, rows, this.d, sums));
    const mean = this.mem.f64.slice(sums / 8, sums / 8 + this.d);
    for (let j = 0; j < this.d; j++) mean[j] /= n;
    return mean;
  }

  columnSquaredDeviations(data: Float32Array, n: number, mean: Float64Array): Float64Array {
    const meanPtr = this.region('mean', this.d * 8);
    this.mem.f64.set(mean, meanPtr / 8);
    const out = this.zeroed('deviations', this.d);
    this.pass(data, n, null, (src, rows) => this.x.addSquaredDeviations(src, rows, this.d, meanPtr, out));
    return this.mem.f64.slice(out / 8, out / 8 + this.d);
  }

  addRowsByLabel(data: Float32Array, n: number, labels: Int32Array, sums: Float64Array): void {
    const ptr = this.region('label-sums', sums.length * 8);
    this.mem.f64.set(sums, ptr / 8);
    this.pass(data, n, labels, (src, rows, labelPtr) => this.x.addRowsByLabel(src, rows, this.d, labelPtr, ptr));
    sums.set(this.mem.f64.subarray(ptr / 8, ptr / 8 + sums.length));
  }

  squaredDistancesToCenters(
    data: Float32Array,
    n: number,
    labels: Int32Array,
    centers: Float64Array,
    out: Float64Array,
  ): void {
    const centersPtr = this.region('centers-f64', centers.length * 8);
    this.mem.f64.set(centers, centersPtr / 8);
    const outPtr = this.region('pass-out', PASS_ROWS * 8);
    this.pass(data, n, labels, (src, rows, labelPtr, r0) => {
      this.x.squaredDistancesToCenters(src, rows, this.d, labelPtr, centersPtr, outPtr);
      out.set(this.mem.f64.subarray(outPtr / 8, outPtr / 8 + rows), r0);
    });
  }

  matrix(data: Float32Array, n: number, origin: Float32Array | null, residency: Residency): RowSet {
    const resident =
      residency === 'always' || (residency === 'if-small' && roundUp4(n) * this.dp * 4 <= RESIDENT_MAX_BYTES);
    return new WasmMatrix(this, data, n, origin, resident);
  }

  buffer(capacity: number, origin: Float32Array | null): RowBuffer {
    return new WasmBuffer(this, capacity, origin);
  }

  seeding(rows: RowSet, candidates: RowBuffer, k: number): Seeding {
    if (!(rows instanceof WasmRows) || !(candidates instanceof WasmBuffer)) throw new TypeError('rows from another kernel backend');
    return new WasmSeeding(this, rows, candidates, k);
  }

  elkanBounds(rows: RowSet, centers: RowBuffer): ElkanBounds {
    if (!(rows instanceof WasmRows) || !(centers instanceof WasmBuffer)) throw new TypeError('rows from another kernel backend');
    return new WasmElkanBounds(this, rows, centers);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.mem.byteLength <= REUSE_MAX_BYTES) idle = this.exports;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('kernel workspace used after close()');
  }

  /** Streams row-major blocks (and their labels) into linear memory and calls visit on each. */
  private pass(
    data: Float32Array,
    n: number,
    labels: Int32Array | null,
    visit: (src: Ptr, rows: number, labelPtr: Ptr, r0: number) => void,
  ): void {
    const d = this.d;
    const src = this.region('pass-rows', PASS_ROWS * d * 4);
    const labelPtr = this.region('pass-labels', PASS_ROWS * 4);
    for (let r0 = 0; r0 < n; r0 += PASS_ROWS) {
      const rows = Math.min(PASS_ROWS, n - r0);
      this.mem.f32.set(data.subarray(r0 * d, (r0 + rows) * d), src / 4);
      if (labels !== null) this.mem.i32.set(labels.subarray(r0, r0 + rows), labelPtr / 4);
      visit(src, rows, labelPtr, r0);
    }
  }

  private zeroed(name: string, doubles: number): Ptr {
    const ptr = this.region(name, doubles * 8);
    this.mem.f64.fill(0, ptr / 8, ptr / 8 + doubles);
    return ptr;
  }
}

/** Rows in panel layout plus their norms, as the kernels consume them. */
abstract class WasmRows implements RowSet {
  abstract readonly resident: boolean;
  abstract readonly count: number;
  abstract readonly norms: Float64Array;
  /** Panel holding the rows (for a streamed matrix, the staged block). */
  protected abstract panel: Ptr;
  /** Norms in linear memory, for resident rows. */
  protected abstract normsPtr: Ptr;

  constructor(protected readonly ws: WasmWorkspace) {}

  /** Panel row of row r0, making rows r0..r0+rows (≤ CALL_ROWS) available. */
  abstract locate(r0: number, rows: number): number;

  get groups(): number {
    return Math.ceil(this.count / 4);
  }

  get panelPtr(): Ptr {
    return this.panel;
  }

  get normsAddress(): Ptr {
    return this.normsPtr;
  }

  dots(r0: number, rows: number, other: RowBuffer, out: Float64Array): void {
    const b = this.partner(other);
    const k = b.count;
    const stride = b.groups * 4;
    const scratch = this.ws.region('dots', CALL_ROWS * stride * 8);
    for (let c0 = r0; c0 < r0 + rows; c0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, r0 + rows - c0);
      const a = this.locate(c0, count);
      this.ws.x.dotTile(this.panel, a, count, b.panelPtr, b.groups, this.ws.dp, scratch, stride);
      const f64 = this.ws.mem.f64;
      if (stride === k) {
        out.set(f64.subarray(scratch / 8, scratch / 8 + count * k), (c0 - r0) * k);
        continue;
      }
      for (let r = 0; r < count; r++) {
        const from = scratch / 8 + r * stride;
        const to = (c0 - r0 + r) * k;
        for (let c = 0; c < k; c++) out[to + c] = f64[from + c];
      }
    }
  }

  nearest(r0: number, rows: number, other: RowBuffer, labels: Int32Array, values: Float64Array | null): void {
    const b = this.partner(other);
    const scratch = this.ws.region('dots', CALL_ROWS * b.groups * 4 * 8);
    const labelPtr = this.ws.region('labels', CALL_ROWS * 4);
    const valuePtr = this.ws.region('values', CALL_ROWS * 8);
    for (let c0 = r0; c0 < r0 + rows; c0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, r0 + rows - c0);
      const a = this.locate(c0, count);
      this.ws.x.nearest(this.panel, a, count, b.panelPtr, b.count, this.ws.dp, b.normsAddress, scratch, labelPtr, valuePtr);
      labels.set(this.ws.mem.i32.subarray(labelPtr / 4, labelPtr / 4 + count), c0);
      if (values !== null) values.set(this.ws.mem.f64.subarray(valuePtr / 8, valuePtr / 8 + count), c0);
    }
  }

  dotsGathered(i: number, other: RowBuffer, ids: Int32Array, count: number, out: Float64Array): void {
    const b = this.partner(other);
    const idPtr = this.ws.region('gather-ids', b.count * 4);
    const outPtr = this.ws.region('gather-out', b.count * 8);
    const a = this.locate(i, 1);
    this.ws.mem.i32.set(ids.subarray(0, count), idPtr / 4);
    this.ws.x.dotGathered(this.panel, a, b.panelPtr, idPtr, count, this.ws.dp, outPtr);
    out.set(this.ws.mem.f64.subarray(outPtr / 8, outPtr / 8 + count));
  }

  distanceSumsByLabel(codes: Int32Array, nLabels: number, shouldStop?: () => boolean, part?: SumsPart): Float64Array {
    const m = this.count;
    const codePtr = this.uploadCodes(codes);
    const sums = this.ws.region('silhouette-sums', m * nLabels * 8);
    const scratch = this.ws.region('silhouette-tile', SILHOUETTE_ROWS * SILHOUETTE_COLUMNS * 8);
    this.ws.mem.f64.fill(0, sums / 8, sums / 8 + m * nLabels);
    const { x, dp } = this.ws;
    for (let i0 = 0; i0 < m; i0 += SILHOUETTE_ROWS) {
      if (!ownsBlock(i0 / SILHOUETTE_ROWS, part)) continue;
      throwIfCanceled(shouldStop);
      const ib = Math.min(SILHOUETTE_ROWS, m - i0);
      // The first tile starts at the diagonal; the rest are full width.
      for (let j0 = i0; j0 < m; j0 += j0 === i0 ? SILHOUETTE_ROWS : SILHOUETTE_COLUMNS) {
        const jb = Math.min(j0 === i0 ? SILHOUETTE_ROWS : SILHOUETTE_COLUMNS, m - j0);
        x.addPairDistances(this.panel, i0, ib, j0, jb, dp, this.normsPtr, codePtr, nLabels, sums, scratch, 1);
      }
    }
    return this.ws.mem.f64.slice(sums / 8, sums / 8 + m * nLabels);
  }

  distanceSumsByLabelForRows(i0: number, rows: number, codes: Int32Array, nLabels: number, out: Float64Array): void {
    const m = this.count;
    const codePtr = this.uploadCodes(codes);
    const { x, dp } = this.ws;
    for (let r0 = i0; r0 < i0 + rows; r0 += SILHOUETTE_ROWS) {
      const ib = Math.min(SILHOUETTE_ROWS, i0 + rows - r0);
      const sums = this.ws.region('silhouette-row-sums', ib * nLabels * 8);
      const scratch = this.ws.region('silhouette-tile', SILHOUETTE_ROWS * SILHOUETTE_COLUMNS * 8);
      this.ws.mem.f64.fill(0, sums / 8, sums / 8 + ib * nLabels);
      for (let j0 = 0; j0 < m; j0 += SILHOUETTE_COLUMNS) {
        const jb = Math.min(SILHOUETTE_COLUMNS, m - j0);
        x.addPairDistances(this.panel, r0, ib, j0, jb, dp, this.normsPtr, codePtr, nLabels, sums, scratch, 0);
      }
      out.set(this.ws.mem.f64.subarray(sums / 8, sums / 8 + ib * nLabels), (r0 - i0) * nLabels);
    }
  }

  private uploadCodes(codes: Int32Array): Ptr {
    if (!this.resident) throw new Error('distance sums need resident rows');
    const ptr = this.ws.region('codes', this.count * 4);
    this.ws.mem.i32.set(codes.subarray(0, this.count), ptr / 4);
    return ptr;
  }

  private partner(other: RowBuffer): WasmBuffer {
    if (!(other instanceof WasmBuffer) || other.workspace !== this.ws) {
      throw new TypeError('rows from another kernel workspace');
    }
    return other;
  }
}

class WasmMatrix extends WasmRows {
  protected readonly panel: Ptr;
  protected readonly normsPtr: Ptr;
  private readonly raw: Ptr;
  private readonly origin: Ptr;
  private stagedFrom = 0;
  private stagedRows = 0;
  private squaredNorms: Float64Array | null = null;

  constructor(
    ws: WasmWorkspace,
    private readonly data: Float32Array,
    readonly count: number,
    origin: Float32Array | null,
    readonly resident: boolean,
  ) {
    super(ws);
    const { dp } = ws;
    this.origin = ws.uploadOrigin(origin);
    this.raw = ws.alloc(STAGE_ROWS * ws.d * 4);
    this.panel = ws.alloc((resident ? roundUp4(count) : STAGE_ROWS) * dp * 4);
    this.normsPtr = ws.alloc((resident ? count : STAGE_ROWS) * 8);
    if (resident) {
      for (let r0 = 0; r0 < count; r0 += STAGE_ROWS) this.stage(r0);
      ws.x.panelNorms(this.panel, count, dp, this.normsPtr);
      this.squaredNorms = ws.mem.f64.slice(this.normsPtr / 8, this.normsPtr / 8 + count);
    }
  }

  /** Computed on first use for a streamed matrix (a full pass that assignment alone does not need). */
  get norms(): Float64Array {
    if (this.squaredNorms === null) {
      const { ws } = this;
      const norms = new Float64Array(this.count);
      for (let r0 = 0; r0 < this.count; r0 += STAGE_ROWS) {
        const rows = this.stage(r0);
        ws.x.panelNorms(this.panel, rows, ws.dp, this.normsPtr);
        norms.set(ws.mem.f64.subarray(this.normsPtr / 8, this.normsPtr / 8 + rows), r0);
      }
      this.squaredNorms = norms;
    }
    return this.squaredNorms;
  }

  locate(r0: number, rows: number): number {
    if (this.resident) return r0;
    if (r0 < this.stagedFrom || r0 + rows > this.stagedFrom + this.stagedRows) this.stage(r0 - (r0 % 4));
    return r0 - this.stagedFrom;
  }

  /** Packs rows from r0 (a multiple of 4) into their place: the resident panel, or the staging panel. */
  private stage(r0: number): number {
    const { ws, data } = this;
    const d = ws.d;
    const rows = Math.min(STAGE_ROWS, this.count - r0);
    ws.mem.f32.set(data.subarray(r0 * d, (r0 + rows) * d), this.raw / 4);
    ws.x.packRows(this.raw, rows, d, ws.dp, this.origin, this.panelAt(this.resident ? r0 : 0));
    this.stagedFrom = r0;
    this.stagedRows = rows;
    return rows;
  }

  private panelAt(row: number): Ptr {
    return this.panel + (row / 4) * this.ws.dp * 16;
  }
}

class WasmBuffer extends WasmRows implements RowBuffer {
  readonly resident = true;
  readonly norms: Float64Array;
  count = 0;
  protected readonly panel: Ptr;
  protected readonly normsPtr: Ptr;
  private readonly raw: Ptr;
  private readonly originPtr: Ptr;
  private readonly translated: Float32Array;
  /** Whether `translated` describes the current rows (computed on demand: most callers never ask). */
  private translatedValid = false;

  constructor(
    ws: WasmWorkspace,
    readonly capacity: number,
    private readonly origin: Float32Array | null,
  ) {
    super(ws);
    this.originPtr = ws.uploadOrigin(origin);
    this.raw = ws.alloc(capacity * ws.d * 4);
    this.panel = ws.alloc(roundUp4(capacity) * ws.dp * 4);
    this.normsPtr = ws.alloc(capacity * 8);
    this.norms = new Float64Array(capacity);
    this.translated = new Float32Array(capacity * ws.d);
  }

  get workspace(): WasmWorkspace {
    return this.ws;
  }

  get geometry(): Float32Array {
    if (!this.translatedValid) {
      const { ws, origin, translated, count } = this;
      const d = ws.d;
      const values = ws.mem.f32.subarray(this.raw / 4, this.raw / 4 + count * d);
      if (origin === null) {
        translated.set(values);
      } else {
        // Rounds exactly like the kernel's float32 subtraction.
        for (let i = 0; i < count; i++) {
          const o = i * d;
          for (let j = 0; j < d; j++) translated[o + j] = values[o + j] - origin[j];
        }
      }
      this.translatedValid = true;
    }
    return this.translated;
  }

  set(values: Float32Array, count: number): void {
    if (count > this.capacity) throw new RangeError(`buffer holds ${this.capacity} rows, got ${count}`);
    const { ws } = this;
    const { x, d } = ws;
    ws.mem.f32.set(values.subarray(0, count * d), this.raw / 4);
    x.packRows(this.raw, count, d, ws.dp, this.originPtr, this.panel);
    x.panelNorms(this.panel, count, ws.dp, this.normsPtr);
    this.norms.set(ws.mem.f64.subarray(this.normsPtr / 8, this.normsPtr / 8 + count));
    this.count = count;
    this.translatedValid = false;
  }

  locate(r0: number): number {
    return r0;
  }
}

/** Elkan's bounds in linear memory, driven by the elkanStart / elkanStep kernels. */
class WasmElkanBounds implements ElkanBounds {
  private readonly labels: Ptr;
  private readonly upper: Ptr;
  private readonly lower: Ptr;
  private readonly xNorms: Ptr;
  private readonly shift: Ptr;
  private readonly drift: Ptr;
  /** Sum of each center's shifts so far (lower bounds are stored with it added). */
  private readonly driftTotal: Float64Array;
  private readonly halfDist: Ptr;
  private readonly nearestHalf: Ptr;
  private readonly ids: Ptr;
  private readonly gathered: Ptr;

  constructor(
    private readonly ws: WasmWorkspace,
    private readonly rows: WasmRows,
    private readonly centers: WasmBuffer,
  ) {
    const n = rows.count;
    const k = centers.capacity;
    this.labels = ws.alloc(n * 4);
    this.upper = ws.alloc(n * 8);
    this.lower = ws.alloc(n * k * 4);
    this.xNorms = ws.alloc(n * 8);
    ws.mem.f64.set(rows.norms, this.xNorms / 8);
    this.shift = ws.alloc(k * 8);
    this.drift = ws.alloc(k * 8);
    this.driftTotal = new Float64Array(k);
    this.halfDist = ws.alloc(k * k * 8);
    this.nearestHalf = ws.alloc(k * 8);
    this.ids = ws.alloc(k * 4);
    this.gathered = ws.alloc(k * 8);
  }

  start(labels: Int32Array, margins: ElkanMargins): void {
    const { ws, rows, centers } = this;
    this.driftTotal.fill(0);
    const k = centers.count;
    const scratch = ws.region('dots', CALL_ROWS * centers.groups * 4 * 8);
    for (let r0 = 0; r0 < rows.count; r0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, rows.count - r0);
      const a = rows.locate(r0, count);
      ws.x.elkanStart(
        rows.panelPtr, a, count, centers.panelPtr, k, ws.dp, centers.normsAddress,
        this.xNorms + r0 * 8, this.labels + r0 * 4, this.upper + r0 * 8, this.lower + r0 * k * 4,
        margins.rowError, margins.normError, margins.maxNorm, scratch,
      );
    }
    labels.set(ws.mem.i32.subarray(this.labels / 4, this.labels / 4 + rows.count));
  }

  step(
    labels: Int32Array,
    shift: Float64Array,
    halfDist: Float64Array,
    nearestHalf: Float64Array,
    margins: ElkanMargins,
  ): number {
    const { ws, rows, centers } = this;
    const k = centers.count;
    // Rounded up (by 2⁻⁵⁰), so the bounds in force never exceed the exact ones.
    for (let c = 0; c < k; c++) this.driftTotal[c] = (this.driftTotal[c] + shift[c]) * (1 + 2 ** -50);
    ws.mem.f64.set(shift.subarray(0, k), this.shift / 8);
    ws.mem.f64.set(this.driftTotal.subarray(0, k), this.drift / 8);
    ws.mem.f64.set(halfDist.subarray(0, k * k), this.halfDist / 8);
    ws.mem.f64.set(nearestHalf.subarray(0, k), this.nearestHalf / 8);
    let changed = 0;
    for (let r0 = 0; r0 < rows.count; r0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, rows.count - r0);
      const a = rows.locate(r0, count);
      changed += ws.x.elkanStep(
        rows.panelPtr, a, count, centers.panelPtr, k, ws.dp, centers.normsAddress,
        this.xNorms + r0 * 8, this.labels + r0 * 4, this.upper + r0 * 8, this.lower + r0 * k * 4,
        this.shift, this.drift, this.halfDist, this.nearestHalf,
        margins.rowError, margins.normError, margins.maxNorm, this.ids, this.gathered,
      );
    }
    labels.set(ws.mem.i32.subarray(this.labels / 4, this.labels / 4 + rows.count));
    return changed;
  }
}

/** k-means++ state in linear memory, driven by the seeding kernels. */
class WasmSeeding implements Seeding {
  private readonly closestSq: Ptr;
  private readonly nearest: Ptr;
  private readonly dist: Ptr;
  private readonly xNorms: Ptr;
  private readonly candToCenter: Ptr;
  private readonly pots: Ptr;
  private readonly ids: Ptr;
  private readonly gathered: Ptr;

  constructor(
    private readonly ws: WasmWorkspace,
    private readonly rows: WasmRows,
    private readonly candidates: WasmBuffer,
    private readonly k: number,
  ) {
    const n = rows.count;
    const trials = candidates.capacity;
    this.closestSq = ws.alloc(n * 8);
    this.nearest = ws.alloc(n * 4);
    this.dist = ws.alloc(n * trials * 8);
    this.xNorms = ws.alloc(n * 8);
    ws.mem.f64.set(rows.norms, this.xNorms / 8);
    this.candToCenter = ws.alloc(trials * k * 8);
    this.pots = ws.alloc(trials * 8);
    this.ids = ws.alloc(trials * 4);
    this.gathered = ws.alloc(trials * 8);
  }

  start(): number {
    const { ws, rows, candidates } = this;
    for (let r0 = 0; r0 < rows.count; r0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, rows.count - r0);
      const a = rows.locate(r0, count);
      ws.x.seedingStart(
        rows.panelPtr, a, count, candidates.panelPtr, ws.dp, this.xNorms + r0 * 8, candidates.norms[0],
        this.closestSq + r0 * 8, this.nearest + r0 * 4,
      );
    }
    const closest = this.closest();
    let pot = 0;
    for (let i = 0; i < closest.length; i++) pot += closest[i];
    return pot;
  }

  closest(): Float64Array {
    return this.ws.mem.f64.subarray(this.closestSq / 8, this.closestSq / 8 + this.rows.count);
  }

  evaluate(candToCenter: Float64Array, pots: Float64Array): void {
    const { ws, rows, candidates, k } = this;
    const trials = candidates.count;
    ws.mem.f64.set(candToCenter.subarray(0, trials * k), this.candToCenter / 8);
    ws.mem.f64.fill(0, this.pots / 8, this.pots / 8 + trials);
    const scratch = ws.region('seeding-tile', trials * CALL_ROWS * 8);
    const mask = ws.region('mask', CALL_ROWS * trials);
    for (let r0 = 0; r0 < rows.count; r0 += CALL_ROWS) {
      const count = Math.min(CALL_ROWS, rows.count - r0);
      const a = rows.locate(r0, count);
      ws.x.seedingDistances(
        rows.panelPtr, a, count, candidates.panelPtr, trials, ws.dp,
        this.xNorms + r0 * 8, candidates.normsAddress, this.closestSq + r0 * 8, this.nearest + r0 * 4,
        this.candToCenter, k, this.dist + r0 * trials * 8, this.pots, mask, this.ids, this.gathered, scratch,
      );
    }
    pots.set(ws.mem.f64.subarray(this.pots / 8, this.pots / 8 + trials));
  }

  accept(best: number, center: number): void {
    this.ws.x.seedingAccept(this.rows.count, this.candidates.count, best, center, this.dist, this.closestSq, this.nearest);
  }
}
