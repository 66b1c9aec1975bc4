import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { migrateToLatest, openPostgres } from '../../src/storage/database.ts';
import { freshTestDatabase } from '../helpers/test-server.ts';
import { requirePostgres } from './processes.ts';

// Kysely's migrator scans the catalog of the whole database. Schemas that others drop meanwhile
// (parallel test files, other deployments sharing the database) must not fail our migration:
// without the retry about 2% of those scans fail, so 40 drops' worth of runs would see several.
test('migrations succeed while other schemas of the same database are created and dropped', async () => {
  const databases = await Promise.all(Array.from({ length: 3 }, () => freshTestDatabase()));
  requirePostgres(databases[0]!);
  const admin = new pg.Client({ connectionString: process.env.CENTROID_TEST_DATABASE_URL });
  await admin.connect();
  let churning = true;
  let dropped = 0;
  const churn = (async () => {
    for (let i = 0; churning; i++) {
      const name = `churn_${process.pid}_${i}`;
      await admin.query(`CREATE SCHEMA ${name}; ${Array.from({ length: 50 }, (_, t) => `CREATE TABLE ${name}.t${t} (id serial primary key);`).join(' ')}`);
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      dropped++;
    }
  })();
  const handles = databases.map((database) => openPostgres(database.url!, { poolSize: 2 }));
  try {
    let runs = 0;
    const errors: string[] = [];
    while (dropped < 40) {
      const results = await Promise.allSettled(handles.map((handle) => migrateToLatest(handle)));
      for (const r of results) if (r.status === 'rejected') errors.push(String(r.reason));
      runs += handles.length;
    }
    assert.deepEqual(errors, [], `all ${runs} migration runs succeed`);
    for (const database of databases) {
      const [row] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM kysely_migration');
      assert.ok(row!.n > 0, 'the schema is migrated');
    }
  } finally {
    churning = false;
    await churn;
    await admin.end();
    await Promise.all(handles.map((handle) => handle.close()));
    await Promise.all(databases.map((d) => d.drop()));
  }
});
