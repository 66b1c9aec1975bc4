import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../domain/ids.ts';
import type { ApiKeyRecord } from '../domain/records.ts';
import type { Store } from '../storage/store.ts';

/** Keys are shown once at creation; only their SHA-256 is stored. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyService {
  constructor(private readonly store: Store, private readonly bootstrapKey: string | null) {}

  async create(name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `ctd_${randomBytes(24).toString('base64url')}`;
    const record = await this.store.apiKeys.create({ keyId: newId('apiKey'), name, keyHash: hashKey(key), keyPrefix: key.slice(0, 12) });
    return { key, record };
  }

  /** Creates the first admin key when none exists and no bootstrap key is configured; returns it, or null. */
  async ensureInitialKey(): Promise<string | null> {
    if (this.bootstrapKey !== null) return null;
    if ((await this.store.apiKeys.countActive()) > 0) return null;
    return (await this.create('admin')).key;
  }

  async authenticate(token: string): Promise<boolean> {
    if (this.bootstrapKey !== null) {
      const a = Buffer.from(token);
      const b = Buffer.from(this.bootstrapKey);
      if (a.length === b.length && timingSafeEqual(a, b)) return true;
    }
    const record = await this.store.apiKeys.findActiveByHash(hashKey(token));
    return record !== null;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.apiKeys.list();
  }

  revoke(keyIdOrPrefix: string): Promise<boolean> {
    return this.store.apiKeys.revoke(keyIdOrPrefix);
  }
}
