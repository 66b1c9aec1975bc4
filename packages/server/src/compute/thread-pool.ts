import { Piscina } from 'piscina';
import type { ClusterTaskInput, ClusterTaskOutput } from './cluster-task.ts';

/** Error a canceled computation rejects with. */
export class ComputationAborted extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ComputationAborted';
  }
}

/** A fixed pool of worker threads running clustering tasks off the event loop. */
export class ComputePool {
  private readonly pool: Piscina;

  constructor(threads: number, engineThreads = 1) {
    this.pool = new Piscina({
      filename: new URL('./cluster-thread.ts', import.meta.url).href,
      // How many threads each execution may split its rows over (read once by every compute thread).
      workerData: { engineThreads },
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
      // Thread start-up cost (loading the engine through tsx) is paid once per thread, not per task.
      concurrentTasksPerWorker: 1,
      // Threads load the engine's TypeScript through tsx, whichever way this process was started.
      execArgv: process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'],
    });
  }

  async run(input: ClusterTaskInput, signal: AbortSignal): Promise<ClusterTaskOutput> {
    try {
      // The input vectors are moved, not copied: the caller must not use them afterwards.
      return (await this.pool.run(input, { signal, transferList: input.features.map((f) => f.data.buffer as ArrayBuffer) })) as ClusterTaskOutput;
    } catch (error) {
      if (signal.aborted) throw new ComputationAborted(String(signal.reason ?? 'aborted'));
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
