import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { World } from './harness.ts';

let world: World;

before(async () => {
  world = await World.create(2);
  await world.seed(6);
});
after(() => world.close());

const tickAll = async () => (await Promise.all(world.nodes.map((n) => n.scheduler.tick()))).flatMap((r) => r.fired);

test('consecutive failures are counted once each and pause the trigger at max_consecutive_failures, with the reason', async () => {
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 10, start_immediately: true, max_consecutive_failures: 3 } });
  // One success between failures resets the streak.
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  await world.finishPending({ fail: 'Collection col_x no longer exists; update the cluster\'s collection_ids' });
  world.advance(10_000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  assert.equal((await world.trigger(t.trigger_id)).consecutive_failures, 1, 'the first failure was settled by the tick');
  await world.finishPending('complete');
  world.advance(10_000);
  assert.deepEqual(await tickAll(), [t.trigger_id]);
  const reset = await world.trigger(t.trigger_id);
  assert.equal(reset.consecutive_failures, 0);
  assert.equal(reset.last_execution_status, 'pending', 'the new fire is pending');

  for (let i = 1; i <= 3; i++) {
    await world.finishPending({ fail: `Insufficient documents for clustering: attempt ${i}` });
    world.advance(10_000);
    // The last round ticks one scheduler after the other, so the pause is seen before the next due check.
    if (i < 3) await tickAll();
    else for (const n of world.nodes) await n.scheduler.tick();
  }
  const paused = await world.trigger(t.trigger_id);
  assert.equal(paused.status, 'failed');
  assert.equal(paused.consecutive_failures, 3, 'two schedulers settled each failure once');
  assert.equal(paused.last_execution_status, 'failed');
  assert.match(paused.last_execution_error!, /attempt 3/);
  assert.match(paused.status_reason!, /Paused automatically after 3 consecutive failed executions; last error: Insufficient documents for clustering: attempt 3/);
  assert.equal(paused.next_scheduled_at, null);
  assert.equal(paused.execution_count, 5);

  world.advance(60_000);
  assert.deepEqual(await tickAll(), [], 'a failed trigger does not fire');
  const history = await world.history(t.trigger_id);
  assert.deepEqual(history.executions.map((e) => e.status), ['failed', 'failed', 'failed', 'completed', 'failed'], 'newest first');
  assert.ok(history.executions.every((e) => e.job_id.startsWith('task_')));

  const resumed = await world.main.services.triggers.resume(world.ns, t.trigger_id);
  assert.equal(resumed.status, 'active');
  assert.equal(resumed.consecutive_failures, 0);
  assert.equal(resumed.status_reason, null);
  assert.equal(Date.parse(resumed.next_scheduled_at!), world.now + 10_000);
});
