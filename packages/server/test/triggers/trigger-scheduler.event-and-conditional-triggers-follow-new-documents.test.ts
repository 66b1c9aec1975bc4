import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { conditionHolds } from '../../src/queue/trigger-scheduler.ts';
import { World } from './harness.ts';

let world: World;

before(async () => {
  world = await World.create(2);
  await world.seed(10);
});
after(() => world.close());

const tickAll = async () => (await Promise.all(world.nodes.map((n) => n.scheduler.tick()))).flatMap((r) => r.fired);

test('an event trigger fires once N documents were added after its creation, then counts again from zero', async () => {
  const t = await world.createTrigger({ trigger_type: 'event', schedule_config: { event_type: 'documents_added', event_threshold: 5 } });
  assert.equal(t.next_scheduled_at, null, 'event triggers have no schedule');
  world.advance(1000);
  await world.addDocuments(4);
  world.advance(1000);
  assert.deepEqual(await tickAll(), []);
  assert.equal((await world.trigger(t.trigger_id)).event_counter, 4, 'the 10 seeded documents predate the trigger');

  world.advance(1000);
  await world.addDocuments(1);
  world.advance(1000);
  assert.deepEqual(await tickAll(), [t.trigger_id], 'the fifth new document fires it, on one scheduler only');
  const fired = await world.trigger(t.trigger_id);
  assert.equal(fired.event_counter, 0);
  assert.equal(fired.execution_count, 1);
  assert.equal(fired.last_triggered_at, new Date(world.now).toISOString());
  await world.finishPending('complete');

  // Re-imported (updated) documents are not new: created_at stays.
  world.advance(1000);
  const { store } = world.main;
  await store.documents.upsert(world.collectionId, world.ns.namespaceId, { documentId: 'd0', metadata: { again: true }, features: [], vectors: new Map([['embedding', Float32Array.from([1, 1])]]) }, new Map());
  world.advance(1000);
  assert.deepEqual(await tickAll(), []);
  assert.equal((await world.trigger(t.trigger_id)).event_counter, 0);

  world.advance(1000);
  await world.addDocuments(5);
  world.advance(1000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending('complete');
  assert.equal((await world.trigger(t.trigger_id)).execution_count, 2);
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('an event trigger inside its cooldown waits, then fires on the documents it already counted', async () => {
  const t = await world.createTrigger({ trigger_type: 'event', schedule_config: { event_threshold: 2, cooldown_seconds: 600 } });
  world.advance(1000);
  await world.addDocuments(2);
  world.advance(1000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending('complete');
  world.advance(1000);
  await world.addDocuments(3);
  world.advance(60_000);
  assert.deepEqual(await tickAll(), [], 'within 600 s of the last fire');
  const held = await world.trigger(t.trigger_id);
  assert.equal(held.event_counter, 3);
  assert.equal(held.last_cooldown_at, new Date(world.now).toISOString());
  world.advance(600_000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending('complete');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('an event trigger can watch one named collection instead of the cluster inputs', async () => {
  const other = await world.main.store.collections.create({ namespaceId: world.ns.namespaceId, collectionName: 'inbox', description: null, metadata: {} });
  const t = await world.createTrigger({ trigger_type: 'event', schedule_config: { event_threshold: 3, collection_id: 'inbox' } });
  assert.equal(t.schedule_config.collection_id, other.collectionId, 'names resolve to ids');
  world.advance(1000);
  await world.addDocuments(5); // into the cluster's own collection: not watched
  world.advance(1000);
  assert.deepEqual(await tickAll(), []);
  await world.addDocuments(3, other.collectionId);
  world.advance(1000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending('complete');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('a conditional trigger checks every check_interval_seconds and fires when the document count grew by the ratio', async () => {
  const base = (await world.main.store.triggers.countDocuments([world.collectionId]));
  const t = await world.createTrigger({ trigger_type: 'conditional', schedule_config: { condition_type: 'document_count', metric: 'growth_ratio', threshold: 0.5, check_interval_seconds: 300 } });
  assert.equal(Date.parse(t.next_scheduled_at!), world.now + 300_000);
  const needed = Math.ceil(base * 0.5);
  await world.addDocuments(needed - 1);
  world.advance(300_000);
  assert.deepEqual(await tickAll(), [], `grew by ${needed - 1} of ${base}: below 50%`);
  assert.equal(Date.parse((await world.trigger(t.trigger_id)).next_scheduled_at!), world.now + 300_000, 'next check one interval later');
  await world.addDocuments(1);
  world.advance(100_000);
  assert.deepEqual(await tickAll(), [], 'not checked before its next check time');
  world.advance(200_000);
  assert.deepEqual(await tickAll(), [t.trigger_id], `grew by ${needed} of ${base}: at least 50%`);
  await world.finishPending('complete');
  // The baseline moves to the count at the fire: the same documents do not fire it again.
  world.advance(300_000);
  assert.deepEqual(await tickAll(), []);
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('a conditional trigger on absolute growth fires after that many more documents', async () => {
  const t = await world.createTrigger({ trigger_type: 'conditional', schedule_config: { metric: 'growth_absolute', threshold: 4, check_interval_seconds: 60 } });
  assert.equal(t.schedule_config.condition_type, 'document_count', 'defaults filled');
  await world.addDocuments(3);
  world.advance(60_000);
  assert.deepEqual(await tickAll(), []);
  await world.addDocuments(1);
  world.advance(60_000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending('complete');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('condition arithmetic: ratio from an empty collection, absolute, and total', () => {
  const c = { condition_type: 'document_count', check_interval_seconds: 1, cooldown_seconds: 0, max_consecutive_failures: 5 } as const;
  assert.equal(conditionHolds({ ...c, metric: 'growth_ratio', threshold: 0.2 }, 120, 100), true);
  assert.equal(conditionHolds({ ...c, metric: 'growth_ratio', threshold: 0.2 }, 119, 100), false);
  assert.equal(conditionHolds({ ...c, metric: 'growth_ratio', threshold: 0.2 }, 1, 0), true);
  assert.equal(conditionHolds({ ...c, metric: 'growth_ratio', threshold: 0.2 }, 0, 0), false);
  assert.equal(conditionHolds({ ...c, metric: 'growth_absolute', threshold: 5 }, 104, 100), false);
  assert.equal(conditionHolds({ ...c, metric: 'total', threshold: 50 }, 50, 49), true);
});
