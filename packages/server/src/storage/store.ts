/**
 * The storage port. Services depend on these interfaces only; `openStore` returns the one
 * Kysely implementation, which runs on SQLite (embedded default) and PostgreSQL.
 */
import type { FilterNode } from '../domain/filters.ts';
import type {
  ApiKeyRecord, ClusterRecord, CollectionRecord, DocumentRecord, ExecutionOutcome, ExecutionRecord,
  MemberRow, NamespaceRecord, NewDocument, PageWindow, SortSpec,
} from '../domain/records.ts';

export interface NamespaceStore {
  create(input: { namespaceName: string; description: string | null; settings: Record<string, unknown> }): Promise<NamespaceRecord>;
  findByIdOrName(idOrName: string): Promise<NamespaceRecord | null>;
  list(window: PageWindow): Promise<{ rows: NamespaceRecord[]; total: number }>;
  delete(namespaceId: string): Promise<boolean>;
  counts(namespaceId: string): Promise<{ collections: number; documents: number }>;
}

export interface CollectionStore {
  create(input: { namespaceId: string; collectionName: string; description: string | null; metadata: Record<string, unknown> }): Promise<CollectionRecord>;
  findByIdOrName(namespaceId: string, idOrName: string): Promise<CollectionRecord | null>;
  list(namespaceId: string, window: PageWindow): Promise<{ rows: CollectionRecord[]; total: number }>;
  delete(collectionId: string): Promise<boolean>;
  vectorDimensions(collectionId: string): Promise<Map<string, number>>;
  documentCount(collectionId: string): Promise<number>;
}

export interface VectorBatch {
  documentIds: string[];
  /** Row-major, documentIds.length × dimensions. */
  vectors: Float32Array;
}

export interface DocumentStore {
  /** Inserts or replaces one document with its vectors; registers new vector names' dimensions. */
  upsert(collectionId: string, namespaceId: string, doc: NewDocument, newDimensions: Map<string, number>): Promise<{ inserted: boolean }>;
  get(collectionId: string, documentId: string, withVectors: boolean): Promise<(DocumentRecord & { vectors?: Record<string, number[]> }) | null>;
  /** Reads the named documents that exist (in batches, any order); ids not in the collection are skipped. */
  getMany(collectionId: string, documentIds: readonly string[], batchSize: number): AsyncIterable<DocumentRecord[]>;
  /** Streams every document of a collection in id order (filters are applied by the caller). */
  scan(collectionId: string, batchSize: number): AsyncIterable<DocumentRecord[]>;
  delete(collectionId: string, documentId: string): Promise<boolean>;
  /** Stages import rows invisibly; nothing is visible until `commitImport`. */
  stageImportRows(importId: string, rows: Array<{ rowIndex: number; doc: NewDocument }>): Promise<void>;
  /** Moves a staged import into the collection in one transaction. */
  commitImport(importId: string, collectionId: string, namespaceId: string, newDimensions: Map<string, number>): Promise<{ inserted: number; updated: number }>;
  discardImport(importId: string): Promise<void>;
  /** Counts documents having a vector of this name in each collection. */
  countVectors(collectionIds: string[], vectorName: string): Promise<number>;
  /** Streams vectors of one name for the given collections, in a stable order. */
  streamVectors(collectionIds: string[], vectorName: string, dimensions: number, batchSize: number): AsyncIterable<VectorBatch>;
  /**
   * Deep-merges `fields` into the metadata of each listed document, in one transaction.
   * Plain objects merge key by key, anything else replaces; `undefined` values are skipped.
   * `matched` counts updates whose document exists (changed or already equal); `missing` lists the
   * ids of the others, which are skipped, never created.
   */
  mergeMetadata(collectionId: string, updates: Array<{ documentId: string; fields: Record<string, unknown> }>): Promise<{ matched: number; missing: string[] }>;
}

export interface ClusterListQuery {
  filter: FilterNode | null;
  search: string[];
  sort: SortSpec;
  window: PageWindow;
}

export interface ClusterStore {
  create(input: Omit<ClusterRecord, 'createdAt' | 'updatedAt' | 'lastExecutedAt'>): Promise<ClusterRecord>;
  findByIdOrName(namespaceId: string, idOrName: string): Promise<ClusterRecord | null>;
  update(clusterId: string, patch: { clusterName?: string; description?: string | null; metadata?: Record<string, unknown> }): Promise<ClusterRecord | null>;
  delete(clusterId: string): Promise<boolean>;
  listAll(namespaceId: string): Promise<ClusterRecord[]>;
}

export interface ExecutionListQuery {
  filter: FilterNode | null;
  search: string[];
  sort: SortSpec;
  window: PageWindow;
}

export interface ClaimedExecution extends ExecutionRecord {}

export interface ExecutionStore {
  /** Fails with AppError('execution_in_flight') when the cluster already has one pending or processing. */
  create(input: { runId: string; taskId: string; clusterId: string; namespaceId: string; config: Record<string, unknown>; maxAttempts: number }): Promise<ExecutionRecord>;
  get(clusterId: string, runId: string): Promise<ExecutionRecord | null>;
  getByTaskId(taskId: string): Promise<ExecutionRecord | null>;
  inFlightFor(clusterId: string): Promise<ExecutionRecord | null>;
  latest(clusterId: string): Promise<ExecutionRecord | null>;
  list(clusterId: string, query: ExecutionListQuery): Promise<{ rows: ExecutionRecord[]; total: number }>;
  listTasks(namespaceIds: string[] | null, query: ExecutionListQuery): Promise<{ rows: ExecutionRecord[]; total: number }>;
  /**
   * Claims the oldest runnable pending execution for `owner` until `leaseUntil`, skipping namespaces
   * that already have `namespaceLimit` executions processing (0: no limit).
   */
  claimNext(owner: string, now: number, leaseUntil: number, namespaceLimit?: number): Promise<ClaimedExecution | null>;
  /** Renews a lease; null when the lease was lost (reaped or canceled while pending). */
  heartbeat(runId: string, owner: string, leaseUntil: number): Promise<{ cancelRequested: boolean } | null>;
  complete(runId: string, owner: string, outcome: ExecutionOutcome, members: MemberRow[], now: number): Promise<boolean>;
  fail(runId: string, owner: string | null, message: string, canceled: boolean, now: number): Promise<boolean>;
  /** Marks cancel requested; a pending execution is failed at once. Returns the updated record. */
  requestCancel(runId: string, message: string, now: number): Promise<ExecutionRecord | null>;
  /** Hands a claimed execution back to the queue (graceful shutdown); the attempt does not count. */
  release(runId: string, owner: string): Promise<boolean>;
  /** Re-queues (or fails, after the last attempt) executions whose lease expired. */
  recoverExpired(now: number, retryDelayMs: number): Promise<{ requeued: string[]; failed: string[] }>;
  membersPage(runId: string, afterIndex: number, limit: number): Promise<Array<MemberRow & { memberIndex: number }>>;
  memberCount(runId: string): Promise<number>;
  /** The `perCluster` members of each listed cluster nearest its centre (distance ascending, then member order). */
  nearestMembers(runId: string, clusterIds: string[], perCluster: number): Promise<Map<string, Array<{ documentId: string; distanceToCentroid: number }>>>;
}

export type TriggerType = 'cron' | 'interval' | 'event' | 'conditional';
export type TriggerStatus = 'active' | 'paused' | 'disabled' | 'failed';

export interface TriggerRecord {
  triggerId: string;
  namespaceId: string;
  clusterId: string;
  triggerType: TriggerType;
  scheduleConfig: Record<string, unknown>;
  executionConfig: { collection_ids: string[]; config: Record<string, unknown> };
  status: TriggerStatus;
  statusReason: string | null;
  description: string | null;
  createdBy: string | null;
  nextFireAt: number | null;
  lastTriggeredAt: number | null;
  lastExecutionJobId: string | null;
  lastExecutionStatus: string | null;
  lastExecutionError: string | null;
  executionCount: number;
  consecutiveFailures: number;
  eventCounter: number;
  baselineAt: number;
  baselineCount: number | null;
  lastCooldownAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface TriggerFireRecord {
  fireId: string;
  triggerId: string;
  clusterId: string;
  runId: string | null;
  taskId: string | null;
  triggeredAt: number;
  status: string;
  error: string | null;
  executionTimeMs: number | null;
  numClusters: number | null;
  numDocuments: number | null;
}

export interface TriggerListQuery {
  clusterId: string | null;
  triggerType: TriggerType | null;
  status: TriggerStatus | null;
  sortBy: 'created_at' | 'updated_at' | 'next_scheduled_at' | 'last_triggered_at' | 'execution_count' | 'trigger_type' | 'status';
  direction: 'asc' | 'desc';
  window: PageWindow;
}

/** What a scheduler writes when it wins the compare-and-set on a due trigger. */
export interface TriggerClaim {
  nextFireAt: number | null;
  eventCounter?: number;
  /** Set when the trigger fires: new baselines for event and conditional triggers. */
  fired?: { at: number; baselineCount: number | null };
  lastCooldownAt?: number;
}

export interface TriggerStore {
  create(record: Omit<TriggerRecord, 'updatedAt'>): Promise<TriggerRecord>;
  get(namespaceId: string, triggerId: string): Promise<TriggerRecord | null>;
  /** By id alone, deleted triggers included (the scheduler settles fires of triggers deleted meanwhile). */
  findById(triggerId: string): Promise<TriggerRecord | null>;
  list(namespaceId: string, query: TriggerListQuery): Promise<{ rows: TriggerRecord[]; total: number }>;
  update(triggerId: string, patch: Partial<Pick<TriggerRecord, 'scheduleConfig' | 'description' | 'status' | 'statusReason' | 'nextFireAt' | 'consecutiveFailures' | 'baselineAt' | 'baselineCount' | 'eventCounter'>>, now: number): Promise<TriggerRecord | null>;
  softDelete(triggerId: string, now: number): Promise<boolean>;
  /** Active triggers whose next_fire_at has come, oldest first. */
  due(now: number, limit: number): Promise<TriggerRecord[]>;
  /** Compare-and-set: true for exactly one caller among those that read the same `expectedNextFireAt`. */
  claim(triggerId: string, expectedNextFireAt: number, claim: TriggerClaim, now: number): Promise<boolean>;
  /** Records a fire; `started` says an execution was created (counts towards execution_count). */
  recordFire(fire: TriggerFireRecord, started: boolean): Promise<void>;
  /** Fires still following a pending or processing execution. */
  unsettledFires(limit: number): Promise<TriggerFireRecord[]>;
  markFireProcessing(fireId: string): Promise<void>;
  /**
   * Compare-and-set on the fire's status; the one caller that settles it also updates the trigger's
   * last_execution_status, consecutive_failures, and pauses it (status 'failed') at `maxFailures`.
   */
  settleFire(fire: TriggerFireRecord, outcome: { status: 'completed' | 'failed'; error: string | null; executionTimeMs: number | null; numClusters: number | null; numDocuments: number | null }, maxFailures: number, now: number): Promise<boolean>;
  history(triggerId: string, query: { status: string | null; window: PageWindow }): Promise<{ rows: TriggerFireRecord[]; total: number }>;
  /** Documents in these collections created strictly after `since`. */
  countDocumentsCreatedAfter(collectionIds: string[], since: number): Promise<number>;
  countDocuments(collectionIds: string[]): Promise<number>;
}

export interface ApiKeyStore {
  create(input: { keyId: string; name: string; keyHash: string; keyPrefix: string }): Promise<ApiKeyRecord>;
  findActiveByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(keyIdOrPrefix: string): Promise<boolean>;
  countActive(): Promise<number>;
  touch(keyId: string, now: number): Promise<void>;
}

/** A generated label as the label cache keeps it. */
export interface CachedLabel {
  label: string;
  summary: string | null;
  keywords: string[] | null;
}

export interface LabelCacheStore {
  /** The unexpired entries among `keys`. */
  getMany(keys: string[], now: number): Promise<Map<string, CachedLabel>>;
  /** Inserts or replaces entries, and drops expired ones. */
  putMany(entries: Array<{ key: string; value: CachedLabel; expiresAt: number }>, now: number): Promise<void>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly namespaces: NamespaceStore;
  readonly collections: CollectionStore;
  readonly documents: DocumentStore;
  readonly clusters: ClusterStore;
  readonly executions: ExecutionStore;
  readonly apiKeys: ApiKeyStore;
  readonly triggers: TriggerStore;
  readonly labelCache: LabelCacheStore;
  close(): Promise<void>;
}
