/** Composition root: the one place that wires storage, compute, the queue, services and HTTP together. */
import type { FastifyInstance } from 'fastify';
import type { Settings } from './config/settings.ts';
import { ExecutionRunner } from './compute/execution-runner.ts';
import { ComputePool } from './compute/thread-pool.ts';
import { buildApp } from './http/app.ts';
import { createLabeler } from './labeling/index.ts';
import { ExecutionWorker, type WorkerLog } from './queue/execution-worker.ts';
import { TriggerScheduler } from './queue/trigger-scheduler.ts';
import { createServices, type Services } from './services/index.ts';
import { EnrichmentService } from './services/enrichment.ts';
import { NO_NOTIFIER } from './queue/execution-notifier.ts';
import { openStore } from './storage/kysely/index.ts';
import type { Store } from './storage/store.ts';

export interface Centroid {
  store: Store;
  services: Services;
  app: FastifyInstance | null;
  worker: ExecutionWorker | null;
  /** The first admin key, when this start created it (shown once). */
  initialApiKey: string | null;
  url: string | null;
  close(): Promise<void>;
}

export async function startCentroid(settings: Settings, options: { http?: boolean; workers?: boolean; logger?: WorkerLog } = {}): Promise<Centroid> {
  const store = await openStore(settings);
  const pool = options.workers === false ? null : new ComputePool(settings.computeThreads, settings.engineThreads);
  const worker = pool
    ? new ExecutionWorker(store, new ExecutionRunner(store, pool, { silhouetteExactMaxPoints: settings.silhouetteExactMaxPoints }, createLabeler(store, settings)), {
        concurrency: settings.executionConcurrency,
        leaseMs: settings.leaseMs,
        heartbeatMs: settings.heartbeatMs,
        pollMs: settings.pollMs,
        namespaceConcurrency: settings.namespaceConcurrency,
        logger: options.logger,
        afterComplete: (execution, log) => new EnrichmentService(store).afterCompletion(execution, log),
      })
    : null;
  const services = createServices(store, settings, worker ?? NO_NOTIFIER);
  const initialApiKey = options.http === false ? null : await services.apiKeys.ensureInitialKey();
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (options.http !== false) {
    app = await buildApp({ settings, services });
    if (!options.logger) worker?.setLogger(app.log);
    url = await app.listen({ host: settings.host, port: settings.port });
  }
  worker?.start();
  // Every process schedules triggers; the compare-and-set claim keeps each fire to one process.
  const scheduler = new TriggerScheduler(store, services.triggers, { tickMs: settings.triggerTickMs, logger: options.logger ?? app?.log });
  scheduler.start();
  let closed = false;
  return {
    store,
    services,
    app,
    worker,
    initialApiKey,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      await app?.close();
      await worker?.stop(settings.shutdownGraceMs);
      await pool?.close();
      await store.close();
    },
  };
}
