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
  /** Claims the oldest runnable pending execution for `owner` until `leaseUntil`. */
  claimNext(owner: string, now: number, leaseUntil: number): Promise<ClaimedExecution | null>;
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
}

export interface ApiKeyStore {
  create(input: { keyId: string; name: string; keyHash: string; keyPrefix: string }): Promise<ApiKeyRecord>;
  findActiveByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(keyIdOrPrefix: string): Promise<boolean>;
  countActive(): Promise<number>;
  touch(keyId: string, now: number): Promise<void>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly namespaces: NamespaceStore;
  readonly collections: CollectionStore;
  readonly documents: DocumentStore;
  readonly clusters: ClusterStore;
  readonly executions: ExecutionStore;
  readonly apiKeys: ApiKeyStore;
  close(): Promise<void>;
}
