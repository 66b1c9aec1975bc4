/**
 * Row parallelism without giving up a synchronous API. Algorithms split rows into ranges and
 * hand all but one to helper threads through a RowPool; the calling thread computes its own range
 * meanwhile, then blocks until the helpers answer. Inputs and outputs travel as
 * SharedArrayBuffers, so nothing large is copied per call.
 *
 * The engine does not start threads itself (it knows nothing of the runtime): the host installs
 * a pool (the server's compute/row-threads.ts), and each helper thread answers tasks by calling
 * runRowTask (row-tasks.ts). Without a pool every computation runs on the calling thread, with the same results.
 */
export interface RowPool {
  /** Starts helpers up to `count` if needed; returns how many are ready to take tasks (≤ count). */
  helpers(count: number): number;
  /** Sends a task to helper `helper`; returns its id. */
  post(helper: number, task: string, args: unknown): number;
  /** Blocks until helper `helper` has answered task `id`; returns its result or throws its error. */
  await(helper: number, id: number): unknown;
}

let installed: RowPool | null = null;
let threads = 1;

/** Lets computations use `threadCount` threads (the caller's and threadCount − 1 helpers of `pool`). */
export function installRowPool(pool: RowPool | null, threadCount: number): void {
  installed = pool;
  threads = pool ? Math.max(1, Math.floor(threadCount)) : 1;
}

export function rowPool(): RowPool | null {
  return installed;
}

/** Threads one computation may use by default (1 without a pool). */
export function engineThreads(): number {
  return installed ? threads : 1;
}

/** The first `length` values of `values`, in shared memory: the array itself if it already is, else a copy. */
export function inSharedMemory(values: Float32Array, length: number): Float32Array {
  if (values.buffer instanceof SharedArrayBuffer) return values.subarray(0, length);
  const copy = new Float32Array(new SharedArrayBuffer(length * 4));
  copy.set(values.subarray(0, length));
  return copy;
}

/** Contiguous row ranges [start, end) of about equal size, one per part. */
export function splitRows(n: number, parts: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let p = 0; p < parts; p++) ranges.push([Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)]);
  return ranges;
}
