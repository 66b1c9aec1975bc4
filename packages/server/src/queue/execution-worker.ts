/**
 * Claims pending executions from the executions table (the row is the job), runs them,
 * and keeps each claim alive with a heartbeat. A reaper re-queues executions whose worker
 * stopped heartbeating — in this process or any other — so none stays `processing` forever.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
export type WorkerLog = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
import { CANCELED_MESSAGE } from '../domain/execution-status.ts';
import type { ExecutionRecord } from '../domain/records.ts';
import type { ExecutionNotifier } from './execution-notifier.ts';
import type { Store } from '../storage/store.ts';
import { ExecutionFailure, type ExecutionRunner } from '../compute/execution-runner.ts';

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollMs: number;
  /** Executions of one namespace processing at once across every worker sharing the database; 0: no limit. */
  namespaceConcurrency?: number;
  /** Delay before a recovered execution is retried. */
  retryDelayMs?: number;
  now?: () => number;
  logger?: WorkerLog;
  /** Runs once an execution is stored as completed (source enrichment); its failure never fails the execution. */
  afterComplete?: (execution: ExecutionRecord, log?: WorkerLog) => Promise<unknown>;
}

type AbortReason = 'canceled' | 'lease-lost' | 'shutdown';

interface ActiveRun {
  execution: ExecutionRecord;
  controller: AbortController;
  done: Promise<void>;
}

export class ExecutionWorker implements ExecutionNotifier {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly active = new Map<string, ActiveRun>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private reaperTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly runner: ExecutionRunner,
    private readonly options: WorkerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.reap();
    this.reaperTimer = setInterval(() => void this.reap(), Math.max(this.options.pollMs, Math.floor(this.options.leaseMs / 4)));
    this.reaperTimer.unref();
    this.loopDone = this.loop();
  }

  /** Logs through the HTTP server's logger when this worker shares its process. */
  setLogger(logger: WorkerLog): void {
    this.options.logger = logger;
  }

  wake(): void {
    this.wakeUp?.();
  }

  cancel(runId: string): void {
    this.active.get(runId)?.controller.abort('canceled' satisfies AbortReason);
  }

  /** Stops claiming; waits up to `drainMs` for running executions, then hands the rest back to the queue. */
  async stop(drainMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.reaperTimer) clearInterval(this.reaperTimer);
    this.wake();
    await this.loopDone;
    const pending = [...this.active.values()].map((r) => r.done);
    const timeout = new Promise<void>((r) => setTimeout(r, drainMs).unref());
    await Promise.race([Promise.all(pending), timeout]);
    for (const run of this.active.values()) run.controller.abort('shutdown' satisfies AbortReason);
    await Promise.all([...this.active.values()].map((r) => r.done));
  }

  get activeCount(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        while (this.running && this.active.size < this.options.concurrency) {
          const now = this.now();
          const claimed = await this.store.executions.claimNext(this.owner, now, now + this.options.leaseMs, this.options.namespaceConcurrency ?? 0);
          if (!claimed) break;
          this.begin(claimed);
        }
      } catch (error) {
        this.options.logger?.error({ err: error }, 'claiming executions failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private begin(execution: ExecutionRecord): void {
    const controller = new AbortController();
    const run: ActiveRun = { execution, controller, done: Promise.resolve() };
    this.active.set(execution.runId, run);
    run.done = this.execute(execution, controller).finally(() => {
      this.active.delete(execution.runId);
      this.wake();
    });
  }

  private async execute(execution: ExecutionRecord, controller: AbortController): Promise<void> {
    const { runId } = execution;
    const log = this.options.logger;
    const heartbeat = setInterval(async () => {
      try {
        const state = await this.store.executions.heartbeat(runId, this.owner, this.now() + this.options.leaseMs);
        if (state === null) controller.abort('lease-lost' satisfies AbortReason);
        else if (state.cancelRequested) controller.abort('canceled' satisfies AbortReason);
      } catch (error) {
        log?.warn({ err: error, runId }, 'heartbeat failed');
      }
    }, this.options.heartbeatMs);
    try {
      if (execution.cancelRequested) controller.abort('canceled' satisfies AbortReason);
      log?.info({ runId, clusterId: execution.clusterId, attempt: execution.attempts }, 'execution started');
      const { outcome, members } = await this.runner.run(execution, controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      const saved = await this.store.executions.complete(runId, this.owner, outcome, members, this.now());
      log?.info({ runId, saved, numClusters: outcome.numClusters, numPoints: outcome.numPoints }, 'execution completed');
      if (saved) await this.options.afterComplete?.(execution, log)?.catch((err) => log?.error({ err, runId }, 'post-completion step failed; the execution stays completed'));
    } catch (error) {
      const reason = controller.signal.aborted ? (controller.signal.reason as AbortReason) : null;
      if (reason === 'canceled') {
        await this.store.executions.fail(runId, this.owner, CANCELED_MESSAGE, true, this.now());
        log?.info({ runId }, 'execution canceled');
      } else if (reason === 'shutdown') {
        await this.store.executions.release(runId, this.owner);
        log?.info({ runId }, 'execution handed back at shutdown');
      } else if (reason === 'lease-lost') {
        log?.warn({ runId }, 'lease lost; another worker owns this execution now');
      } else {
        const message = error instanceof ExecutionFailure ? error.message : `Clustering failed: ${(error as Error)?.message ?? String(error)}`;
        await this.store.executions.fail(runId, this.owner, message, false, this.now());
        if (!(error instanceof ExecutionFailure)) log?.error({ err: error, runId }, 'execution failed unexpectedly');
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async reap(): Promise<void> {
    try {
      const { requeued, failed } = await this.store.executions.recoverExpired(this.now(), this.options.retryDelayMs ?? 0);
      if (requeued.length + failed.length > 0) {
        this.options.logger?.warn({ requeued, failed }, 'recovered executions whose worker stopped responding');
        this.wake();
      }
    } catch (error) {
      this.options.logger?.error({ err: error }, 'recovering expired executions failed');
    }
  }
}
