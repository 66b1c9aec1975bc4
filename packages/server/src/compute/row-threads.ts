/**
 * The engine's RowPool on Node worker threads. The engine's API is synchronous, so the calling
 * thread posts tasks on a MessagePort, blocks in Atomics.wait on a counter the helper bumps after
 * each reply, and reads replies with receiveMessageOnPort. Helpers start on first use and never
 * keep the process alive; one that died is replaced at the next computation.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { installRowPool, type RowPool } from '@centroid/engine';

export interface RowTaskMessage {
  id: number;
  task: string;
  args: unknown;
}

export type RowTaskReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

interface Helper {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  broken: boolean;
}

/** A helper that takes longer than this to answer fails the computation instead of hanging it. */
const REPLY_TIMEOUT_MS = 15 * 60_000;

export class WorkerRowPool implements RowPool {
  private pool: Helper[] = [];
  private nextId = 1;

  helpers(count: number): number {
    this.pool = this.pool.filter((h) => !h.broken);
    while (this.pool.length < count) {
      try {
        this.pool.push(startHelper());
      } catch {
        break;
      }
    }
    return Math.min(count, this.pool.length);
  }

  post(helper: number, task: string, args: unknown): number {
    const id = this.nextId++;
    const message: RowTaskMessage = { id, task, args };
    this.pool[helper]!.port.postMessage(message);
    return id;
  }

  await(index: number, id: number): unknown {
    const helper = this.pool[index]!;
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(helper.signal, 0);
      const received = receiveMessageOnPort(helper.port);
      if (received) {
        const reply = received.message as RowTaskReply;
        // Replies to tasks whose caller already gave up (an earlier failure) are dropped.
        if (reply.id !== id) continue;
        if (!reply.ok) throw new Error(`engine helper thread failed: ${reply.error}`);
        return reply.result;
      }
      if (helper.broken) throw new Error('engine helper thread stopped');
      const left = deadline - Date.now();
      if (left <= 0) {
        helper.broken = true;
        void helper.worker.terminate();
        throw new Error(`engine helper thread did not answer within ${REPLY_TIMEOUT_MS / 60_000} minutes`);
      }
      // Bounded waits, so the deadline is checked. A helper that dies mid-task never notifies, and
      // its exit event cannot run while this thread blocks: only the deadline ends that wait.
      Atomics.wait(helper.signal, 0, seen, Math.min(left, 500));
    }
  }
}

function startHelper(): Helper {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./row-thread.cjs', import.meta.url), {
    // The engine is TypeScript run through tsx; helpers load it the same way.
    execArgv: ['--import', 'tsx'],
    workerData: { module: new URL('./row-thread-tasks.ts', import.meta.url).pathname, port: port2, signal },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  const helper: Helper = { worker, port: port1, signal, broken: false };
  worker.on('error', () => (helper.broken = true));
  worker.on('exit', () => (helper.broken = true));
  return helper;
}

/**
 * Lets engine computations in this thread use `threads` threads (the setting
 * CENTROID_ENGINE_THREADS). Each compute thread installs its own pool, so executions running at
 * once each split their rows and share the cores.
 */
export function installEngineThreads(threads: number): void {
  installRowPool(threads > 1 ? new WorkerRowPool() : null, threads);
}
