import { notFound } from '../domain/errors.ts';
import type { CollectionRecord, NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import { paginationView, resolvePage, type PageQuery } from './pagination.ts';
import { collectionView } from './views.ts';

export class CollectionService {
  constructor(private readonly store: Store) {}

  async create(ns: NamespaceRecord, body: { collection_name: string; description?: string | null; metadata?: Record<string, unknown> | null }) {
    const c = await this.store.collections.create({
      namespaceId: ns.namespaceId,
      collectionName: body.collection_name,
      description: body.description ?? null,
      metadata: body.metadata ?? {},
    });
    return collectionView(c, 0, new Map());
  }

  async require(ns: NamespaceRecord, idOrName: string): Promise<CollectionRecord> {
    const c = await this.store.collections.findByIdOrName(ns.namespaceId, idOrName);
    if (!c) throw notFound('collection', idOrName);
    return c;
  }

  private async view(c: CollectionRecord) {
    return collectionView(c, await this.store.collections.documentCount(c.collectionId), await this.store.collections.vectorDimensions(c.collectionId));
  }

  async get(ns: NamespaceRecord, idOrName: string) {
    return this.view(await this.require(ns, idOrName));
  }

  async list(ns: NamespaceRecord, query: PageQuery, path: string) {
    const window = resolvePage(query);
    const { rows, total } = await this.store.collections.list(ns.namespaceId, window);
    return { results: await Promise.all(rows.map((c) => this.view(c))), pagination: paginationView(total, window, path), total_count: total };
  }

  async delete(ns: NamespaceRecord, idOrName: string) {
    const c = await this.require(ns, idOrName);
    await this.store.collections.delete(c.collectionId);
    return { success: true, message: `Collection ${c.collectionId} and its documents deleted` };
  }
}
