import { AppError, notFound } from '../domain/errors.ts';
import type { NamespaceRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';
import { paginationView, resolvePage, type PageQuery } from './pagination.ts';
import { namespaceView } from './views.ts';

export class NamespaceService {
  constructor(private readonly store: Store) {}

  async create(body: { namespace_name: string; description?: string | null; feature_extractors?: unknown[]; payload_indexes?: unknown[] | null; auto_create_indexes?: boolean | null }) {
    const ns = await this.store.namespaces.create({
      namespaceName: body.namespace_name,
      description: body.description ?? null,
      settings: {
        feature_extractors: body.feature_extractors ?? [],
        payload_indexes: body.payload_indexes ?? null,
        auto_create_indexes: body.auto_create_indexes ?? false,
      },
    });
    return namespaceView(ns, { collections: 0, documents: 0 });
  }

  /** Resolves the X-Namespace header (id or name); every namespaced route goes through here. */
  async resolve(header: string | undefined): Promise<NamespaceRecord> {
    if (header === undefined || header.trim() === '') {
      throw new AppError('namespace_header_missing', 'Missing X-Namespace header: pass the namespace id (ns_…) or name this request is for', { header: 'X-Namespace' });
    }
    const ns = await this.store.namespaces.findByIdOrName(header.trim());
    if (!ns) throw notFound('namespace', header.trim());
    return ns;
  }

  async get(idOrName: string) {
    const ns = await this.store.namespaces.findByIdOrName(idOrName);
    if (!ns) throw notFound('namespace', idOrName);
    return namespaceView(ns, await this.store.namespaces.counts(ns.namespaceId));
  }

  async list(query: PageQuery, path: string) {
    const window = resolvePage(query);
    const { rows, total } = await this.store.namespaces.list(window);
    const results = await Promise.all(rows.map(async (ns) => namespaceView(ns, await this.store.namespaces.counts(ns.namespaceId))));
    return { results, pagination: paginationView(total, window, path), total_count: total };
  }

  async delete(idOrName: string) {
    const ns = await this.store.namespaces.findByIdOrName(idOrName);
    if (!ns) throw notFound('namespace', idOrName);
    await this.store.namespaces.delete(ns.namespaceId);
    return { success: true, message: `Namespace ${ns.namespaceId} and everything in it deleted` };
  }
}
