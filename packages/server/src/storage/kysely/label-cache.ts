import type { CachedLabel, LabelCacheStore } from '../store.ts';
import type { StoreContext } from './shared.ts';

const CHUNK = 500;

export class KyselyLabelCacheStore implements LabelCacheStore {
  constructor(private readonly ctx: StoreContext) {}

  async getMany(keys: string[], now: number): Promise<Map<string, CachedLabel>> {
    const out = new Map<string, CachedLabel>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await this.ctx.db
        .selectFrom('label_cache')
        .select(['cache_key', 'value'])
        .where('cache_key', 'in', keys.slice(i, i + CHUNK))
        .where('expires_at', '>', now)
        .execute();
      for (const row of rows) out.set(row.cache_key, JSON.parse(row.value) as CachedLabel);
    }
    return out;
  }

  async putMany(entries: Array<{ key: string; value: CachedLabel; expiresAt: number }>, now: number): Promise<void> {
    // One row per key: PostgreSQL refuses an upsert that touches the same row twice.
    entries = [...new Map(entries.map((e) => [e.key, e])).values()];
    if (entries.length === 0) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('label_cache').where('expires_at', '<=', now).execute();
      for (let i = 0; i < entries.length; i += CHUNK) {
        await trx
          .insertInto('label_cache')
          .values(entries.slice(i, i + CHUNK).map((e) => ({ cache_key: e.key, value: JSON.stringify(e.value), created_at: now, expires_at: e.expiresAt })))
          .onConflict((oc) => oc.column('cache_key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), created_at: eb.ref('excluded.created_at'), expires_at: eb.ref('excluded.expires_at') })))
          .execute();
      }
    });
  }
}
