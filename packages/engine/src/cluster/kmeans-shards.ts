/**
 * k-means' E-step split by rows across threads. Each shard owns a contiguous range of rows: its
 * packed copy next to the kernels and, for Elkan, its bounds, both kept for the whole fit. Every
 * iteration the calling thread sends the centers, each shard labels its rows into one shared
 * label array, and the M-step stays on the calling thread. Labels are computed exactly as on one
 * thread (same kernels, same translation, a row's label depends on that row only), so results do
 * not depend on the number of threads.
 */
import { kernels, useKernels } from '../linalg/kernels.ts';
import type { Residency, RowBuffer, RowSet, Workspace } from '../linalg/kernel-types.ts';
import { engineThreads, inSharedMemory, rowPool, splitRows, type RowPool } from '../parallel/row-pool.ts';
import { ElkanAssigner, LloydAssigner, type Assigner } from './kmeans-assign.ts';

export interface ShardSpec {
  backend: 'wasm' | 'typescript';
  /** This shard's rows, row-major. */
  rows: Float32Array;
  d: number;
  k: number;
  origin: Float32Array;
  useElkan: boolean;
  /** 'stream' for a single pass (no packed copy), 'if-small' for a fit that passes many times. */
  residency: Residency;
  /** Where this shard writes its rows' labels. */
  labels: Int32Array;
}

/** One shard's state, on whichever thread runs it. */
class KMeansShard {
  private readonly ws: Workspace;
  private readonly rowSet: RowSet;
  private readonly centers: RowBuffer;
  private readonly dotErrorBound: number;
  private assigner!: Assigner;

  constructor(private readonly spec: ShardSpec) {
    const backend = kernels();
    this.ws = backend.open(spec.d);
    try {
      this.rowSet = this.ws.matrix(spec.rows, spec.rows.length / spec.d, spec.origin, spec.residency);
      this.centers = this.ws.buffer(spec.k, spec.origin);
    } catch (error) {
      this.ws.close();
      throw error;
    }
    this.dotErrorBound = backend.dotErrorBound(spec.d);
    this.newRun();
  }

  newRun(): void {
    const { spec } = this;
    this.assigner = spec.useElkan
      ? new ElkanAssigner(this.ws, this.rowSet, this.centers, spec.d, spec.k, this.dotErrorBound)
      : new LloydAssigner(this.rowSet, this.centers, spec.k);
  }

  assign(centers: Float32Array): void {
    this.assigner.assign(centers, this.spec.labels);
  }

  centersMoved(centers: Float32Array): void {
    this.assigner.centersMoved(centers, this.spec.labels);
  }

  close(): void {
    this.ws.close();
  }
}

// ---- helper-thread side -------------------------------------------------------------------

const helperShards = new Map<number, KMeansShard>();

function shardOf(session: number): KMeansShard {
  const shard = helperShards.get(session);
  if (!shard) throw new Error(`no k-means shard ${session} on this thread`);
  return shard;
}

export const KMEANS_SHARD_TASKS = {
  'kmeans.open': ({ session, spec }: { session: number; spec: ShardSpec }) => {
    if (kernels().name !== spec.backend) useKernels(spec.backend);
    helperShards.set(session, new KMeansShard(spec));
  },
  'kmeans.newRun': ({ session }: { session: number }) => shardOf(session).newRun(),
  'kmeans.assign': ({ session, centers }: { session: number; centers: Float32Array }) => shardOf(session).assign(centers),
  'kmeans.moved': ({ session, centers }: { session: number; centers: Float32Array }) => shardOf(session).centersMoved(centers),
  'kmeans.close': ({ session }: { session: number }) => {
    helperShards.get(session)?.close();
    helperShards.delete(session);
  },
};

// ---- calling-thread side ------------------------------------------------------------------

/** Below this many rows per thread, handing rows over costs more than it saves. */
export const MIN_ROWS_PER_SHARD = 8192;
/** Below this much work per E-step (n·k·d multiply-adds) one thread is as fast. */
export const MIN_PARALLEL_WORK = 5e7;

let nextSession = 1;

/** Threads for labelling n rows against k centers: `requested` if given, else what the size is worth. */
export function splitThreads(n: number, d: number, k: number, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${requested}`);
    return Math.min(requested, n);
  }
  if (n * k * d < MIN_PARALLEL_WORK) return 1;
  return Math.max(1, Math.min(engineThreads(), Math.floor(n / MIN_ROWS_PER_SHARD)));
}

type Shard = { local: KMeansShard } | { helper: number; session: number };

/**
 * The E-step of one k-means fit on `threads` threads. `labels` is the shared array all shards
 * write; the fit reads it after each assign.
 */
export class ShardedAssigner implements Assigner {
  readonly labels: Int32Array;
  private readonly shards: Shard[] = [];

  private constructor(
    n: number,
    private readonly pool: RowPool,
  ) {
    this.labels = new Int32Array(new SharedArrayBuffer(n * 4));
  }

  /** Null when fewer than two threads can be had. */
  static open(
    data: Float32Array,
    n: number,
    d: number,
    k: number,
    origin: Float32Array,
    useElkan: boolean,
    threads: number,
    residency: Residency = 'if-small',
  ): ShardedAssigner | null {
    const pool = rowPool();
    const helpers = pool ? pool.helpers(threads - 1) : 0;
    if (!pool || helpers < 1) return null;
    const self = new ShardedAssigner(n, pool);
    const backend = kernels().name;
    const ranges = splitRows(n, helpers + 1);
    const pending: Array<{ helper: number; session: number; id: number; spec: ShardSpec }> = [];
    for (let h = 0; h < helpers; h++) {
      const [start, end] = ranges[h + 1]!;
      // Rows already in shared memory are handed over as they are; others are copied once.
      const rows = inSharedMemory(data.subarray(start * d, end * d), (end - start) * d);
      const spec: ShardSpec = { backend, rows, d, k, origin, useElkan, residency, labels: self.labels.subarray(start, end) };
      const session = nextSession++;
      pending.push({ helper: h, session, spec, id: pool.post(h, 'kmeans.open', { session, spec }) });
    }
    const [start0, end0] = ranges[0]!;
    try {
      self.shards.push({ local: new KMeansShard({ backend, rows: data.subarray(start0 * d, end0 * d), d, k, origin, useElkan, residency, labels: self.labels.subarray(start0, end0) }) });
      for (const p of pending) {
        try {
          pool.await(p.helper, p.id);
          self.shards.push({ helper: p.helper, session: p.session });
        } catch {
          // A helper that cannot take the shard costs speed, never the result.
          self.shards.push({ local: new KMeansShard(p.spec) });
        }
      }
    } catch (error) {
      self.close();
      throw error;
    }
    return self;
  }

  /** The calling thread plus the helpers that took a shard. */
  get threads(): number {
    return 1 + this.shards.filter((shard) => !('local' in shard)).length;
  }

  /** A new fit from fresh centers: forgets every bound. */
  newRun(): void {
    this.broadcast('kmeans.newRun', {}, (shard) => shard.newRun());
  }

  assign(centers: Float32Array): void {
    this.broadcast('kmeans.assign', { centers }, (shard) => shard.assign(centers));
  }

  centersMoved(centers: Float32Array): void {
    this.broadcast('kmeans.moved', { centers }, (shard) => shard.centersMoved(centers));
  }

  close(): void {
    const ids: Array<[number, number]> = [];
    for (const shard of this.shards) {
      if ('local' in shard) shard.local.close();
      else ids.push([shard.helper, this.pool.post(shard.helper, 'kmeans.close', { session: shard.session })]);
    }
    for (const [helper, id] of ids) {
      try {
        this.pool.await(helper, id);
      } catch {
        // the helper is gone, and its memory with it
      }
    }
    this.shards.length = 0;
  }

  /** Runs one step on every shard: helpers first, then the local ones, then waits for the helpers. */
  private broadcast(task: string, args: Record<string, unknown>, local: (shard: KMeansShard) => void): void {
    const ids: Array<[number, number]> = [];
    for (const shard of this.shards) {
      if (!('local' in shard)) ids.push([shard.helper, this.pool.post(shard.helper, task, { session: shard.session, ...args })]);
    }
    let failure: unknown = null;
    for (const shard of this.shards) if ('local' in shard) local(shard.local);
    for (const [helper, id] of ids) {
      try {
        this.pool.await(helper, id);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  }
}
