import type { ApiKeyRecord } from '../../domain/records.ts';
import type { ApiKeysTable } from '../schema.ts';
import type { ApiKeyStore } from '../store.ts';
import { toCount, type StoreContext } from './shared.ts';

function toRecord(row: ApiKeysTable): ApiKeyRecord {
  return {
    keyId: row.key_id,
    name: row.name,
    keyPrefix: row.key_prefix,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export class KyselyApiKeyStore implements ApiKeyStore {
  constructor(private readonly ctx: StoreContext) {}

  async create(input: { keyId: string; name: string; keyHash: string; keyPrefix: string }): Promise<ApiKeyRecord> {
    const row: ApiKeysTable = { key_id: input.keyId, name: input.name, key_hash: input.keyHash, key_prefix: input.keyPrefix, created_at: this.ctx.now(), revoked_at: null, last_used_at: null };
    await this.ctx.db.insertInto('api_keys').values(row).execute();
    return toRecord(row);
  }

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = await this.ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.ctx.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
    return rows.map(toRecord);
  }

  async revoke(keyIdOrPrefix: string): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('api_keys')
      .set({ revoked_at: this.ctx.now() })
      .where((eb) => eb.or([eb('key_id', '=', keyIdOrPrefix), eb('key_prefix', '=', keyIdOrPrefix)]))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return toCount(result.numUpdatedRows) > 0;
  }

  async countActive(): Promise<number> {
    const row = await this.ctx.db.selectFrom('api_keys').select((eb) => eb.fn.countAll().as('n')).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async touch(keyId: string, now: number): Promise<void> {
    await this.ctx.db.updateTable('api_keys').set({ last_used_at: now }).where('key_id', '=', keyId).execute();
  }
}
