/**
 * HDBSCAN's core distances with the query rows split over two threads: the helper builds the
 * same kd-tree from the same rows (the build is deterministic) and answers the root's right half
 * while the calling thread answers the left (KdTree.knnOfSubtree). Both write their own rows of one
 * shared result, which equals allKnn's bit for bit.
 */
import { engineThreads, inSharedMemory, rowPool } from '../../parallel/row-pool.ts';
import { KdTree } from './kd-tree.ts';

/** Below this many rows the helper's tree build and start-up cost more than half the search saves. */
const MIN_PARALLEL_ROWS = 16_384;

interface HalfTask {
  points: Float32Array;
  n: number;
  d: number;
  l1: boolean;
  k: number;
  node: number;
  position: Int32Array;
  reduced: Float64Array;
}

export const HDBSCAN_KNN_TASKS = {
  'hdbscan.knnHalf': (task: HalfTask): void => {
    const tree = new KdTree(task.points, task.n, task.d, task.l1);
    tree.knnOfSubtree(task.node, task.k, task.position, task.reduced);
  },
};

export function sharedAllKnn(
  tree: KdTree,
  points: Float32Array,
  n: number,
  d: number,
  l1: boolean,
  k: number,
  threads: number | undefined,
  check: () => void,
): { position: Int32Array; reduced: Float64Array } {
  const wanted = threads ?? (n >= MIN_PARALLEL_ROWS ? engineThreads() : 1);
  const halves = tree.rootChildren();
  const pool = wanted > 1 && halves ? rowPool() : null;
  if (!pool || !halves || pool.helpers(1) < 1) return tree.allKnn(k, check);
  const position = new Int32Array(new SharedArrayBuffer(n * k * 4)).fill(-1);
  const reduced = new Float64Array(new SharedArrayBuffer(n * k * 8)).fill(Infinity);
  const shared = inSharedMemory(points, n * d);
  const [left, right] = halves;
  const task: HalfTask = { points: shared, n, d, l1, k, node: right, position, reduced };
  const id = pool.post(0, 'hdbscan.knnHalf', task);
  tree.knnOfSubtree(left, k, position, reduced, check);
  try {
    pool.await(0, id);
  } catch {
    // The helper may have written part of its rows: clear them and answer them here.
    const from = tree.nodeStart[right]! * k;
    const to = tree.nodeEnd[right]! * k;
    position.fill(-1, from, to);
    reduced.fill(Infinity, from, to);
    tree.knnOfSubtree(right, k, position, reduced, check);
  }
  return { position, reduced };
}
