import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Cron } from 'croner';
import { nextScheduledAfter } from '../../src/queue/trigger-scheduler.ts';
import { World } from './harness.ts';

let world: World;

before(async () => {
  // Three stores on one database: three separate connections, as three processes would have.
  world = await World.create(3);
  await world.seed(6);
});
after(() => world.close());

test('an interval trigger fires once per due time although three schedulers race for it', async () => {
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 60, start_immediately: true } });
  assert.equal(t.next_scheduled_at, new Date(world.now).toISOString(), 'start_immediately: due at once');

  let fires = 0;
  for (let round = 0; round < 4; round++) {
    // Every scheduler ticks at the same instant; all of them read the trigger as due.
    const reports = await Promise.all(world.nodes.map((n) => n.scheduler.tick()));
    const firedNow = reports.reduce((sum, r) => sum + r.fired.filter((id) => id === t.trigger_id).length, 0);
    assert.equal(firedNow, 1, `round ${round}: exactly one scheduler fires`);
    fires += firedNow;
    // A second tick at the same time finds nothing due.
    const again = await Promise.all(world.nodes.map((n) => n.scheduler.tick()));
    assert.equal(again.reduce((s, r) => s + r.fired.length, 0), 0, `round ${round}: nothing is due twice`);
    await world.finishPending('complete');
    world.advance(60_000);
  }

  assert.equal(await world.executionCount(), fires);
  const after = await world.trigger(t.trigger_id);
  assert.equal(after.execution_count, 4);
  assert.equal(after.next_scheduled_at, new Date(world.now).toISOString(), 'next slot is one interval after the last');
  const history = await world.history(t.trigger_id);
  assert.equal(history.total, 4);
  // Settled on the next tick (paused first, so it only settles): every fire followed its execution to completion.
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
  assert.deepEqual((await world.main.scheduler.tick()).fired, []);
  const settled = await world.history(t.trigger_id);
  assert.deepEqual(settled.executions.map((e) => e.status).sort(), ['completed', 'completed', 'completed', 'completed']);
  assert.ok(settled.executions.every((e) => e.num_clusters === 2 && e.num_documents === 7 && e.run_id?.startsWith('run_')));
  const final = await world.trigger(t.trigger_id);
  assert.equal(final.last_execution_status, 'completed');
  assert.equal(final.consecutive_failures, 0);
});

test('a late scheduler skips missed interval slots instead of firing a burst', async () => {
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 10 } });
  const first = Date.parse(t.next_scheduled_at!);
  assert.equal(first, world.now + 10_000, 'without start_immediately the first fire is one interval away');
  world.advance(55_000);
  const report = await world.main.scheduler.tick();
  assert.deepEqual(report.fired, [t.trigger_id]);
  await world.finishPending('complete');
  const next = Date.parse((await world.trigger(t.trigger_id)).next_scheduled_at!);
  assert.equal(next, first + 50_000, 'next slot on the original grid, strictly after now');
  assert.equal(nextScheduledAfter('interval', { interval_seconds: 10, start_immediately: false, cooldown_seconds: 0, max_consecutive_failures: 5 }, 1000, 1000), 11_000);
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('a cron trigger is due at the next matching time in its timezone and fires there', async () => {
  const t = await world.createTrigger({ trigger_type: 'cron', schedule_config: { cron_expression: '30 2 * * *', timezone: 'America/New_York' } });
  assert.equal(t.schedule_config.timezone, 'America/New_York');
  // 2026-03-02T10:00Z is 05:00 in New York (EST, UTC-5): the next 02:30 there is 2026-03-03T07:30Z.
  const expected = Date.parse('2026-03-03T07:30:00.000Z');
  assert.equal(Date.parse(t.next_scheduled_at!), expected);
  assert.equal(expected, new Cron('30 2 * * *', { timezone: 'America/New_York', paused: true }).nextRun(new Date(world.now))!.getTime());

  world.now = expected - 1;
  assert.deepEqual((await world.main.scheduler.tick()).fired, [], 'not due a millisecond early');
  world.now = expected + 250;
  assert.deepEqual((await world.main.scheduler.tick()).fired, [t.trigger_id]);
  await world.finishPending('complete');
  // After the DST change on 2026-03-08 New York is UTC-4, so 02:30 local moves to 06:30Z.
  world.now = Date.parse('2026-03-09T00:00:00.000Z');
  await world.main.services.triggers.resume(world.ns, t.trigger_id); // no-op while active
  const fired = await world.trigger(t.trigger_id);
  assert.equal(Date.parse(fired.next_scheduled_at!), Date.parse('2026-03-04T07:30:00.000Z'), 'next day, same local time');
  await world.main.scheduler.tick();
  await world.finishPending('complete');
  assert.equal(Date.parse((await world.trigger(t.trigger_id)).next_scheduled_at!), Date.parse('2026-03-09T06:30:00.000Z'), 'missed days are not replayed; local time kept across DST');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('cooldown holds back an interval fire that comes too soon after the last one', async () => {
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 30, start_immediately: true, cooldown_seconds: 45 } });
  assert.deepEqual((await world.main.scheduler.tick()).fired, [t.trigger_id]);
  await world.finishPending('complete');
  world.advance(30_000); // due again, but within the 45 s cooldown
  assert.deepEqual((await world.main.scheduler.tick()).fired, []);
  const held = await world.trigger(t.trigger_id);
  assert.equal(held.last_cooldown_at, new Date(world.now).toISOString());
  assert.equal(held.execution_count, 1);
  world.advance(30_000); // 60 s after the fire: past the cooldown
  assert.deepEqual((await world.main.scheduler.tick()).fired, [t.trigger_id]);
  await world.finishPending('complete');
  assert.equal((await world.trigger(t.trigger_id)).execution_count, 2);
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('a fire that finds the cluster busy is recorded as skipped and starts nothing', async () => {
  const before = await world.executionCount();
  await world.main.services.executions.execute((await world.main.store.clusters.findByIdOrName(world.ns.namespaceId, world.clusterId))!);
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 60, start_immediately: true } });
  const report = await world.main.scheduler.tick();
  assert.deepEqual(report.skipped, [t.trigger_id]);
  assert.equal(await world.executionCount(), before + 1, 'only the manual execution exists');
  const history = await world.history(t.trigger_id);
  assert.equal(history.executions.length, 1);
  assert.equal(history.executions[0]!.status, 'skipped');
  assert.match(history.executions[0]!.error!, /Skipped: cluster .* was still running run_/);
  assert.equal(history.executions[0]!.run_id, null);
  const after = await world.trigger(t.trigger_id);
  assert.equal(after.execution_count, 0);
  assert.equal(after.consecutive_failures, 0, 'a skip is not a failure');
  await world.finishPending('complete');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});

test('paused and deleted triggers never fire', async () => {
  const paused = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 5, start_immediately: true }, status: 'paused' });
  const deleted = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 5, start_immediately: true } });
  await world.main.services.triggers.delete(world.ns, deleted.trigger_id);
  world.advance(60_000);
  const report = await world.main.scheduler.tick();
  assert.deepEqual(report.fired, []);
  assert.equal((await world.trigger(paused.trigger_id)).next_scheduled_at, null, 'paused triggers show no next time');
  const resumed = await world.main.services.triggers.resume(world.ns, paused.trigger_id);
  assert.equal(Date.parse(resumed.next_scheduled_at!), world.now + 5_000, 'resume recomputes the next time from now');
});

test('the claim is a compare-and-set: of many claims on the same due time, exactly one succeeds', async () => {
  const t = await world.createTrigger({ trigger_type: 'interval', schedule_config: { interval_seconds: 5, start_immediately: true } });
  const seen = t.next_scheduled_at ? Date.parse(t.next_scheduled_at) : NaN;
  const results = await Promise.all(
    world.nodes.flatMap((n) => [0, 1, 2].map(() => n.store.triggers.claim(t.trigger_id, seen, { nextFireAt: seen + 5_000 }, world.now))),
  );
  assert.equal(results.filter(Boolean).length, 1, `one winner among ${results.length}`);
  assert.equal(await world.nodes[1]!.store.triggers.claim(t.trigger_id, seen, { nextFireAt: seen + 5_000 }, world.now), false, 'a stale read never wins later');
  await world.main.services.triggers.pause(world.ns, t.trigger_id);
});
