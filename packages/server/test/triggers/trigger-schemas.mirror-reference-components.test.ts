import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import * as A from '../../src/http/schemas/analytics.ts';
import * as T from '../../src/http/schemas/triggers.ts';
import { type MirrorAllowances, SKIP_WITHOUT_REFERENCE, component, mirrorDifferences, plain, signature } from '../http-schemas/reference.ts';

/**
 * [our schema, reference component, deliberate differences]:
 * - status_reason (TriggerModel), run_id (history item): Centroid extensions that say why a
 *   trigger is not active and which execution a fire started.
 * - Responses always carry every field, so more of them are required than in the reference.
 * - results / executions: lists of the two models above, so they differ exactly as those do.
 */
const MIRRORS: [unknown, string, MirrorAllowances?][] = [
  [T.TriggerExecutionConfig, 'TriggerExecutionConfig'],
  [T.CreateTriggerRequest, 'shared__clusters__triggers__models__CreateTriggerRequest'],
  [T.UpdateTriggerRequest, 'shared__clusters__triggers__models__UpdateTriggerRequest'],
  [
    T.TriggerModel,
    'shared__clusters__triggers__models__TriggerModel',
    {
      extra: ['status_reason'],
      extraRequired: [
        'trigger_id', 'cluster_id', 'status', 'status_reason', 'last_triggered_at', 'last_execution_job_id', 'next_scheduled_at', 'execution_count',
        'consecutive_failures', 'last_execution_status', 'last_execution_error', 'event_counter', 'last_cooldown_at', 'created_at', 'updated_at', 'created_by', 'description',
      ],
    },
  ],
  [T.ListTriggersRequest, 'shared__clusters__triggers__models__ListTriggersRequest'],
  [T.ListTriggersResponse, 'shared__clusters__triggers__models__ListTriggersResponse', { differs: ['results'] }],
  [T.TriggerHistoryRequest, 'TriggerHistoryRequest'],
  [T.TriggerExecutionHistoryItem, 'TriggerExecutionHistoryItem', { extra: ['run_id'], extraRequired: ['run_id'] }],
  [T.TriggerHistoryResponse, 'shared__clusters__triggers__models__TriggerHistoryResponse', { differs: ['executions'] }],
  [A.TimeRange, 'api__analytics__clusters__models__TimeRange'],
  [A.ClusterExecutionMetric, 'ClusterExecutionMetric'],
  [A.ExecutionHistoryResponse, 'ExecutionHistoryResponse'],
  [A.FailureMetric, 'FailureMetric'],
  [A.FailureAnalysisResponse, 'api__analytics__clusters__models__FailureAnalysisResponse'],
];

const ENUMS: [unknown, string][] = [
  [T.TriggerType, 'shared__clusters__triggers__models__TriggerType'],
  [T.TriggerStatus, 'shared__clusters__triggers__models__TriggerStatus'],
];

describe('trigger and analytics schemas against the reference', { skip: SKIP_WITHOUT_REFERENCE }, () => {
  for (const [ours, name, allow] of MIRRORS) {
    test(`${name} is mirrored field for field, apart from documented extensions`, () => {
      assert.deepEqual(mirrorDifferences(ours, name, allow), []);
    });
  }

  test('trigger enums list exactly the reference values in order, and titles match', () => {
    for (const [ours, name] of ENUMS) assert.deepEqual(signature(plain(ours)), signature(component(name)), name);
    for (const [ours, name] of [...MIRRORS, ...ENUMS]) assert.equal((plain(ours) as { title?: string }).title, component(name).title, name);
  });

  test("the analytics query parameters keep the reference's bounds and defaults", () => {
    const json = (s: unknown) => plain(s) as { properties: Record<string, unknown> };
    assert.deepEqual(json(A.ExecutionHistoryQuery).properties.hours, { type: 'integer', minimum: 1, maximum: 720, default: 168, description: 'Hours of history' });
    assert.deepEqual(signature(json(A.ExecutionHistoryQuery).properties.limit), { type: 'integer', minimum: 1, maximum: 1000, default: 100 });
    assert.deepEqual(signature(json(A.FailureAnalysisQuery).properties.hours), { type: 'integer', minimum: 1, maximum: 720, default: 168 });
  });
});

describe('trigger and analytics schemas on their own', () => {
  test('every schema compiles under AJV strict mode and request bodies refuse unknown keys', () => {
    const ajv = new Ajv({ strict: true, strictTypes: true, strictRequired: true, allErrors: true, addUsedSchema: false });
    formatsModule.default.default(ajv);
    for (const [name, schema] of [...Object.entries(T), ...Object.entries(A)]) {
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) continue;
      assert.doesNotThrow(() => ajv.compile(schema as object), name);
    }
    for (const body of [T.CreateTriggerRequest, T.UpdateTriggerRequest, T.ListTriggersRequest, T.TriggerHistoryRequest]) {
      assert.equal((plain(body) as { additionalProperties?: unknown }).additionalProperties, false);
    }
    const validate = ajv.compile(plain(T.CreateTriggerRequest) as object);
    assert.equal(validate({ trigger_type: 'cron', schedule_config: { cron_expression: '0 2 * * *' }, cluster_id: 'c' }), true);
    assert.equal(validate({ trigger_type: 'hourly', schedule_config: {} }), false);
    assert.equal(validate({ trigger_type: 'cron' }), false, 'schedule_config is required');
  });
});
