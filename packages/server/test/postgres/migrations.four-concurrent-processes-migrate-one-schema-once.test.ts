import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrationProvider } from '../../src/storage/migrations.ts';
import { freshTestDatabase } from '../helpers/test-server.ts';
import { requirePostgres, startProcess, stopAll, type CentroidProcess } from './processes.ts';

test('four `centroid migrate` processes started at once on a fresh schema all succeed and apply each migration once', async () => {
  const database = await freshTestDatabase();
  requirePostgres(database);
  const processes: CentroidProcess[] = [];
  try {
    const expected = Object.keys(await migrationProvider('postgres').getMigrations()).sort();
    const before = await database.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()");
    assert.equal(Number(before[0]!.n), 0, 'the schema starts empty');

    for (let i = 0; i < 4; i++) processes.push(await startProcess(database, 'migrate'));
    const codes = await Promise.all(processes.map((p) => p.exited));
    for (const [i, code] of codes.entries()) assert.equal(code, 0, processes[i]!.output());
    for (const p of processes) assert.match(p.output(), /database is up to date/);

    const applied = await database.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
    assert.deepEqual(applied.map((r) => r.name), expected, 'every migration recorded exactly once');
    const tables = await database.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
    for (const table of ['executions', 'documents', 'document_vectors', 'clusters', 'namespaces']) {
      assert.ok(tables.some((t) => t.table_name === table), `table ${table} exists in the test's own schema`);
    }
    const [vector] = await database.query<{ data_type: string }>("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'document_vectors' AND column_name = 'vector'");
    assert.equal(vector!.data_type, 'bytea', 'vectors are stored as compact float32 bytes');

    // Running it again on the migrated schema changes nothing.
    const again = await startProcess(database, 'migrate');
    processes.push(again);
    assert.equal(await again.exited, 0, again.output());
    assert.equal((await database.query('SELECT name FROM kysely_migration')).length, expected.length);
  } finally {
    await stopAll(processes);
    await database.drop();
  }
});
