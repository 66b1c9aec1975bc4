/**
 * A controllable world for scheduler tests: one database (SQLite folder or PostgreSQL schema),
 * any number of stores on it (separate connections, like separate processes), a clock the test
 * moves by hand, and a stand-in worker that finishes pending executions on demand.
 */
import { loadSettings } from '../../src/config/settings.ts';
import type { NamespaceRecord } from '../../src/domain/records.ts';
import { validateAlgorithmParams } from '../../src/http/validation/algorithm-params.ts';
import { TriggerScheduler } from '../../src/queue/trigger-scheduler.ts';
import { NO_NOTIFIER } from '../../src/queue/execution-notifier.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import type { ParamsValidator } from '../../src/services/triggers.ts';
import { openStore } from '../../src/storage/kysely/index.ts';
import type { Store } from '../../src/storage/store.ts';
import { freshTestDatabase, type TestDatabase } from '../helpers/test-server.ts';

export const START = Date.parse('2026-03-02T10:00:00.000Z');

export const checkParams: ParamsValidator = (method, params, loc) => {
  const result = validateAlgorithmParams(method, params, loc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};

export interface Node {
  store: Store;
  services: Services;
  scheduler: TriggerScheduler;
}

export class World {
  now = START;
  readonly clock = () => this.now;
  readonly nodes: Node[] = [];
  ns!: NamespaceRecord;
  collectionId!: string;
  clusterId!: string;
  private docSeq = 0;

  private constructor(readonly database: TestDatabase) {}

  static async create(nodes = 1): Promise<World> {
    const world = new World(await freshTestDatabase());
    for (let i = 0; i < nodes; i++) await world.addNode();
    return world;
  }

  async addNode(): Promise<Node> {
    const s = this.database.settings;
    // PostgreSQL: a pool per node, as separate processes would have. SQLite: one connection shared,
    // since better-sqlite3 connections in one process block each other's async transactions.
    const shared = this.nodes.length > 0 && this.nodes[0]!.store.dialect === 'sqlite' ? this.nodes[0]!.store : null;
    const store = shared ?? (await openStore({ dataDir: s.dataDir!, databaseUrl: s.databaseUrl ?? null, databasePoolSize: 4 }, this.clock));
    const settings = loadSettings({}, { apiKey: null, logLevel: 'silent', dataDir: s.dataDir! });
    const services = createServices(store, settings, NO_NOTIFIER, this.clock);
    const scheduler = new TriggerScheduler(store, services.triggers, { tickMs: 1000, now: this.clock });
    const node = { store, services, scheduler };
    this.nodes.push(node);
    return node;
  }

  get main(): Node {
    return this.nodes[0]!;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** A namespace with one collection of `docs` documents and a k-means cluster over it. */
  async seed(docs: number): Promise<void> {
    const { store, services } = this.main;
    await services.namespaces.create({ namespace_name: 'sched' });
    this.ns = (await store.namespaces.findByIdOrName('sched'))!;
    const collection = await store.collections.create({ namespaceId: this.ns.namespaceId, collectionName: 'docs', description: null, metadata: {} });
    this.collectionId = collection.collectionId;
    await this.addDocuments(docs);
    const params = checkParams('kmeans', { n_clusters: 2 }, []);
    const cluster = await services.clusters.create(this.ns, { collection_ids: ['docs'], cluster_name: 'c', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: params } }, params);
    this.clusterId = cluster.cluster_id;
  }

  async addDocuments(n: number, collectionId = this.collectionId): Promise<void> {
    for (let i = 0; i < n; i++) {
      const k = this.docSeq++;
      await this.main.store.documents.upsert(collectionId, this.ns.namespaceId, { documentId: `d${k}`, metadata: {}, features: [], vectors: new Map([['embedding', Float32Array.from([k % 2, k % 3])]]) }, new Map());
    }
  }

  async createTrigger(body: Record<string, unknown>) {
    return this.main.services.triggers.create(this.ns, { cluster_id: this.clusterId, ...body }, checkParams);
  }

  async trigger(triggerId: string) {
    return this.main.services.triggers.get(this.ns, triggerId);
  }

  async history(triggerId: string) {
    return this.main.services.triggers.history(this.ns, triggerId, { limit: 1000 });
  }

  async executionCount(): Promise<number> {
    return (await this.main.store.executions.list(this.clusterId, { filter: null, search: [], sort: { field: 'created_at', direction: 'desc' }, window: { limit: 1, offset: 0 } })).total;
  }

  /** Plays a worker: claims every pending execution and fails it with `message`, or completes it. */
  async finishPending(outcome: { fail: string } | 'complete'): Promise<number> {
    const store = this.main.store;
    let finished = 0;
    for (;;) {
      const claimed = await store.executions.claimNext('test-worker', this.now, this.now + 60_000);
      if (!claimed) return finished;
      if (outcome === 'complete') {
        await store.executions.complete(
          claimed.runId,
          'test-worker',
          {
            numClusters: 2,
            numPoints: 7,
            metrics: { silhouette_score: 0.5, davies_bouldin_index: 0.5, calinski_harabasz_score: 10, silhouette_sample_size: null },
            centroids: [],
            llmLabelingErrors: null,
            details: { algorithm: 'kmeans' },
          },
          [],
          this.now,
        );
      } else {
        await store.executions.fail(claimed.runId, 'test-worker', outcome.fail, false, this.now);
      }
      finished++;
    }
  }

  async close(): Promise<void> {
    for (const node of this.nodes) await node.scheduler.stop();
    for (const store of new Set(this.nodes.map((n) => n.store))) await store.close();
    await this.database.drop();
  }
}
