/**
 * The exact silhouette's O(m²·d) pass shared out over threads: every thread takes a share of the
 * symmetric tiles (kernel-types.ts, SumsPart) on its own packed copy of the rows, and the calling
 * thread adds the shares' per-label distance sums. Only the order of those additions differs
 * from one thread, so scores agree to rounding (about 1e-15).
 */
import { kernels, useKernels } from '../linalg/kernels.ts';
import type { RowSet, SumsPart } from '../linalg/kernel-types.ts';
import { engineThreads, inSharedMemory, rowPool } from '../parallel/row-pool.ts';

/** Below this much work (m²·d multiply-adds) a second thread saves less than it costs to start. */
const MIN_PARALLEL_WORK = 5e9;

interface SumsTask {
  backend: 'wasm' | 'typescript';
  rows: Float32Array;
  m: number;
  d: number;
  origin: Float32Array;
  codes: Int32Array;
  nLabels: number;
  part: SumsPart;
}

export const SILHOUETTE_PART_TASKS = {
  'silhouette.sums': (task: SumsTask): Float64Array => {
    if (kernels().name !== task.backend) useKernels(task.backend);
    const ws = kernels().open(task.d);
    try {
      return ws.matrix(task.rows, task.m, task.origin, 'always').distanceSumsByLabel(task.codes, task.nLabels, undefined, task.part);
    } finally {
      ws.close();
    }
  },
};

/** Threads for the silhouette of m rows in d dimensions: `requested` if given, else what the size is worth. */
export function silhouetteThreads(m: number, d: number, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${requested}`);
    return requested;
  }
  return m * m * d < MIN_PARALLEL_WORK ? 1 : engineThreads();
}

/**
 * Per-row, per-label distance sums of `rows` (the calling thread's packed copy of x), with the
 * work shared over up to `threads` threads. A helper that fails has its share computed here.
 */
export function sharedDistanceSums(
  rows: RowSet,
  x: Float32Array,
  m: number,
  d: number,
  origin: Float32Array,
  codes: Int32Array,
  nLabels: number,
  threads: number,
  shouldStop: (() => boolean) | undefined,
): Float64Array {
  const pool = threads > 1 ? rowPool() : null;
  const helpers = pool ? pool.helpers(threads - 1) : 0;
  if (!pool || helpers < 1) return rows.distanceSumsByLabel(codes, nLabels, shouldStop);
  const count = helpers + 1;
  const shared = inSharedMemory(x, m * d);
  const backend = kernels().name;
  const ids: number[] = [];
  for (let h = 0; h < helpers; h++) {
    const task: SumsTask = { backend, rows: shared, m, d, origin, codes, nLabels, part: { index: h + 1, count } };
    ids.push(pool.post(h, 'silhouette.sums', task));
  }
  const sums = rows.distanceSumsByLabel(codes, nLabels, shouldStop, { index: 0, count });
  for (let h = 0; h < helpers; h++) {
    let share: Float64Array;
    try {
      share = pool.await(h, ids[h]!) as Float64Array;
    } catch {
      share = rows.distanceSumsByLabel(codes, nLabels, shouldStop, { index: h + 1, count });
    }
    for (let i = 0; i < sums.length; i++) sums[i] += share[i]!;
  }
  return sums;
}
