/**
 * The trigger scheduler: one loop per process (API or worker). Each tick it
 *   1. settles fires whose execution has finished (last_execution_status, consecutive_failures,
 *      auto-pause after max_consecutive_failures), and
 *   2. evaluates every due trigger and claims it with a compare-and-set on next_fire_at, so that
 *      across any number of processes exactly one scheduler fires a trigger per due time.
 * Firing goes through the same execution service as POST /v1/clusters/{id}/execute, so every
 * limit (one execution in flight per cluster, attempts) applies; a fire that finds the cluster
 * busy is recorded as `skipped`.
 */
import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import { AppError, RequestValidationError, type ValidationIssue } from '../domain/errors.ts';
import { isTerminal } from '../domain/execution-status.ts';
import { newId } from '../domain/ids.ts';
import type { Store, TriggerClaim, TriggerFireRecord, TriggerRecord, TriggerType } from '../storage/store.ts';

type Log = { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

// ---------------------------------------------------------------------------------------------
// schedule_config per trigger type: validation with defaults, and next times
// ---------------------------------------------------------------------------------------------

export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 5;
export const CONDITION_TYPES = ['document_count'] as const;
export const CONDITION_METRICS = ['growth_ratio', 'growth_absolute', 'total'] as const;
export const EVENT_TYPES = ['documents_added'] as const;

interface CommonSchedule {
  cooldown_seconds: number;
  max_consecutive_failures: number;
}
export interface CronSchedule extends CommonSchedule { cron_expression: string; timezone: string }
export interface IntervalSchedule extends CommonSchedule { interval_seconds: number; start_immediately: boolean }
export interface EventSchedule extends CommonSchedule { event_type: (typeof EVENT_TYPES)[number]; event_threshold: number; collection_id: string | null }
export interface ConditionalSchedule extends CommonSchedule {
  condition_type: (typeof CONDITION_TYPES)[number];
  metric: (typeof CONDITION_METRICS)[number];
  threshold: number;
  check_interval_seconds: number;
}
export type ScheduleConfig = CronSchedule | IntervalSchedule | EventSchedule | ConditionalSchedule;

const KNOWN_KEYS: Record<TriggerType, string[]> = {
  cron: ['cron_expression', 'timezone'],
  interval: ['interval_seconds', 'start_immediately'],
  event: ['event_type', 'event_threshold', 'collection_id'],
  conditional: ['condition_type', 'metric', 'threshold', 'check_interval_seconds'],
};
const COMMON_KEYS = ['cooldown_seconds', 'max_consecutive_failures'];

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function cronOf(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, paused: true });
}

/**
 * Validates a schedule_config for its trigger type and fills defaults. Unknown keys are refused
 * (a misspelt key must not silently fall back to a default). `loc` is where the object sits.
 */
export function normalizeScheduleConfig(type: TriggerType, raw: Record<string, unknown>, loc: (string | number)[]): ScheduleConfig {
  const issues: ValidationIssue[] = [];
  const at = (key: string) => [...loc, key];
  const allowed = [...KNOWN_KEYS[type], ...COMMON_KEYS];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      issues.push({ loc: at(key), msg: `Extra inputs are not permitted: a '${type}' trigger's schedule_config takes ${allowed.join(', ')}`, type: 'extra_forbidden' });
    }
  }
  const int = (key: string, min: number, max: number, fallback?: number): number => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) issues.push({ loc: at(key), msg: `Field required for a '${type}' trigger`, type: 'missing' });
      return fallback ?? min;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      issues.push({ loc: at(key), msg: 'Input should be a valid integer', type: 'int_type' });
      return fallback ?? min;
    }
    if (v < min || v > max) issues.push({ loc: at(key), msg: `Input should be between ${min} and ${max}`, type: v < min ? 'greater_than_equal' : 'less_than_equal' });
    return v;
  };
  const common: CommonSchedule = {
    cooldown_seconds: int('cooldown_seconds', 0, 31_536_000, 0),
    max_consecutive_failures: int('max_consecutive_failures', 1, 1000, DEFAULT_MAX_CONSECUTIVE_FAILURES),
  };
  const oneOf = <T extends string>(key: string, values: readonly T[], fallback?: T): T => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) issues.push({ loc: at(key), msg: `Field required; one of: ${values.join(', ')}`, type: 'missing' });
      return fallback ?? values[0]!;
    }
    if (typeof v !== 'string' || !values.includes(v as T)) {
      issues.push({ loc: at(key), msg: `Input should be ${values.map((x) => `'${x}'`).join(' or ')} (got ${JSON.stringify(v)})`, type: 'enum' });
      return values[0]!;
    }
    return v as T;
  };

  let config: ScheduleConfig;
  switch (type) {
    case 'cron': {
      const expression = raw.cron_expression;
      const timezone = raw.timezone ?? 'UTC';
      if (typeof timezone !== 'string' || !isTimezone(timezone)) {
        issues.push({ loc: at('timezone'), msg: `Unknown timezone ${JSON.stringify(timezone)}: give an IANA name such as 'UTC' or 'Europe/Paris'`, type: 'value_error' });
      }
      if (typeof expression !== 'string' || expression.trim() === '') {
        issues.push({ loc: at('cron_expression'), msg: "Field required: a cron expression such as '0 2 * * *' (minute hour day-of-month month day-of-week)", type: 'missing' });
      } else {
        try {
          const next = cronOf(expression, typeof timezone === 'string' && isTimezone(timezone) ? timezone : 'UTC').nextRun();
          if (next === null) issues.push({ loc: at('cron_expression'), msg: `Cron expression '${expression}' never fires again; give one with future run times`, type: 'value_error' });
        } catch (error) {
          issues.push({ loc: at('cron_expression'), msg: `Invalid cron expression '${expression}': ${(error as Error).message}. Use five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *', or six with seconds first`, type: 'value_error' });
        }
      }
      config = { cron_expression: String(expression ?? ''), timezone: String(timezone), ...common };
      break;
    }
    case 'interval': {
      const startImmediately = raw.start_immediately ?? false;
      if (typeof startImmediately !== 'boolean') issues.push({ loc: at('start_immediately'), msg: 'Input should be a valid boolean', type: 'bool_type' });
      config = { interval_seconds: int('interval_seconds', 1, 31_536_000), start_immediately: startImmediately === true, ...common };
      break;
    }
    case 'event': {
      const collection = raw.collection_id ?? null;
      if (collection !== null && (typeof collection !== 'string' || collection === '')) {
        issues.push({ loc: at('collection_id'), msg: "Input should be a collection id or name (or null for the cluster's input collections)", type: 'string_type' });
      }
      config = { event_type: oneOf('event_type', EVENT_TYPES, 'documents_added'), event_threshold: int('event_threshold', 1, 1_000_000_000), collection_id: collection as string | null, ...common };
      break;
    }
    case 'conditional': {
      const conditionType = raw.condition_type;
      if (conditionType === 'drift') {
        issues.push({ loc: at('condition_type'), msg: "Condition 'drift' is not supported by this version of Centroid yet; use condition_type 'document_count' with metric 'growth_ratio', 'growth_absolute' or 'total'", type: 'value_error' });
      }
      const threshold = raw.threshold;
      if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
        issues.push({ loc: at('threshold'), msg: threshold === undefined ? "Field required: e.g. 0.2 with metric 'growth_ratio' (20% more documents)" : 'Input should be a number greater than 0', type: threshold === undefined ? 'missing' : 'greater_than' });
      }
      config = {
        condition_type: conditionType === 'drift' ? 'document_count' : oneOf('condition_type', CONDITION_TYPES, 'document_count'),
        metric: oneOf('metric', CONDITION_METRICS, 'growth_ratio'),
        threshold: typeof threshold === 'number' ? threshold : 0,
        check_interval_seconds: int('check_interval_seconds', 1, 31_536_000, 3600),
        ...common,
      };
      break;
    }
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return config;
}

/** The first time a scheduler looks at a trigger that starts (or resumes) now. */
export function initialNextFireAt(type: TriggerType, config: ScheduleConfig, now: number, options: { resuming?: boolean } = {}): number | null {
  switch (type) {
    case 'cron': {
      const c = config as CronSchedule;
      return cronOf(c.cron_expression, c.timezone).nextRun(new Date(now))?.getTime() ?? null;
    }
    case 'interval': {
      const c = config as IntervalSchedule;
      return c.start_immediately && !options.resuming ? now : now + c.interval_seconds * 1000;
    }
    case 'event':
      return now;
    case 'conditional':
      return now + (config as ConditionalSchedule).check_interval_seconds * 1000;
  }
}

/** The next due time of a cron or interval trigger strictly after `now`, without catching up missed slots. */
export function nextScheduledAfter(type: 'cron' | 'interval', config: ScheduleConfig, previous: number, now: number): number | null {
  if (type === 'cron') {
    const c = config as CronSchedule;
    return cronOf(c.cron_expression, c.timezone).nextRun(new Date(now))?.getTime() ?? null;
  }
  const step = (config as IntervalSchedule).interval_seconds * 1000;
  const slots = Math.floor((now - previous) / step) + 1;
  return previous + Math.max(1, slots) * step;
}

/** Whether a conditional trigger's condition holds for the current document count. */
export function conditionHolds(config: ConditionalSchedule, count: number, baseline: number): boolean {
  switch (config.metric) {
    case 'total':
      return count >= config.threshold;
    case 'growth_absolute':
      return count - baseline >= config.threshold;
    case 'growth_ratio':
      // From an empty collection, any document is unbounded growth.
      return baseline === 0 ? count > 0 : (count - baseline) / baseline >= config.threshold;
  }
}

// ---------------------------------------------------------------------------------------------
// The scheduler
// ---------------------------------------------------------------------------------------------

/** Starts an execution for a trigger; throws AppError('execution_in_flight') when the cluster is busy. */
export interface TriggerFirer {
  fire(trigger: TriggerRecord): Promise<{ runId: string; taskId: string }>;
  /** The collections whose documents event and conditional triggers count. */
  watchedCollections(trigger: TriggerRecord): string[];
}

export interface TriggerSchedulerOptions {
  tickMs: number;
  now?: () => number;
  logger?: Log;
  /** Due triggers evaluated per tick. */
  batchSize?: number;
}

export interface TickReport {
  fired: string[];
  skipped: string[];
  settled: string[];
}

export class TriggerScheduler {
  readonly owner = randomBytes(4).toString('hex');
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> = Promise.resolve();
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly firer: TriggerFirer,
    private readonly options: TriggerSchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.current = this.tick()
        .catch((error) => this.options.logger?.error({ err: error }, 'trigger scheduler tick failed'))
        .finally(() => {
          if (this.running) {
            this.timer = setTimeout(loop, this.options.tickMs);
            this.timer.unref();
          }
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  /** One pass: settle finished fires, then evaluate due triggers. Safe to run concurrently in many processes. */
  async tick(): Promise<TickReport> {
    const report: TickReport = { fired: [], skipped: [], settled: [] };
    await this.settle(report);
    const now = this.now();
    for (const trigger of await this.store.triggers.due(now, this.options.batchSize ?? 100)) {
      try {
        await this.evaluate(trigger, now, report);
      } catch (error) {
        this.options.logger?.error({ err: error, triggerId: trigger.triggerId }, 'evaluating trigger failed');
      }
    }
    return report;
  }

  private async settle(report: TickReport): Promise<void> {
    for (const fire of await this.store.triggers.unsettledFires(200)) {
      const execution = fire.runId ? await this.store.executions.get(fire.clusterId, fire.runId) : null;
      if (execution && !isTerminal(execution.status)) {
        if (execution.status === 'processing' && fire.status === 'pending') {
          await this.store.triggers.markFireProcessing(fire.fireId);
        }
        continue;
      }
      const outcome = execution
        ? {
            status: execution.status as 'completed' | 'failed',
            error: execution.status === 'failed' ? execution.errorMessage ?? 'Execution failed' : null,
            executionTimeMs: execution.completedAt !== null ? execution.completedAt - (execution.startedAt ?? execution.createdAt) : null,
            numClusters: execution.status === 'completed' ? execution.numClusters : null,
            numDocuments: execution.status === 'completed' ? execution.numPoints : null,
          }
        : { status: 'failed' as const, error: `Execution ${fire.runId ?? '(none)'} no longer exists`, executionTimeMs: null, numClusters: null, numDocuments: null };
      if (await this.settleWith(fire, outcome)) report.settled.push(fire.fireId);
    }
  }

  private async settleWith(fire: TriggerFireRecord, outcome: Parameters<Store['triggers']['settleFire']>[1]): Promise<boolean> {
    const trigger = await this.store.triggers.findById(fire.triggerId);
    const max = Number((trigger?.scheduleConfig as Partial<CommonSchedule> | undefined)?.max_consecutive_failures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES);
    return this.store.triggers.settleFire(fire, outcome, max, this.now());
  }

  private async evaluate(trigger: TriggerRecord, now: number, report: TickReport): Promise<void> {
    const expected = trigger.nextFireAt!;
    const config = trigger.scheduleConfig as unknown as ScheduleConfig;
    const cooling = trigger.lastTriggeredAt !== null && now - trigger.lastTriggeredAt < config.cooldown_seconds * 1000;
    let wants = false;
    let next: number | null;
    let counted: number | undefined;
    let baselineCount: number | null = null;
    switch (trigger.triggerType) {
      case 'cron':
      case 'interval':
        wants = true;
        next = nextScheduledAfter(trigger.triggerType, config, expected, now);
        break;
      case 'event': {
        counted = await this.store.triggers.countDocumentsCreatedAfter(this.firer.watchedCollections(trigger), trigger.baselineAt);
        wants = counted >= (config as EventSchedule).event_threshold;
        // Checked every tick; strictly later than the value read, so the compare-and-set stays exclusive.
        next = now + Math.max(1, this.options.tickMs);
        break;
      }
      case 'conditional': {
        const c = config as ConditionalSchedule;
        baselineCount = await this.store.triggers.countDocuments(this.firer.watchedCollections(trigger));
        wants = conditionHolds(c, baselineCount, trigger.baselineCount ?? 0);
        next = now + c.check_interval_seconds * 1000;
        break;
      }
    }
    const claim: TriggerClaim = { nextFireAt: next };
    if (counted !== undefined) claim.eventCounter = counted;
    const firing = wants && !cooling;
    if (wants && cooling) claim.lastCooldownAt = now;
    if (firing) claim.fired = { at: now, baselineCount };
    if (!(await this.store.triggers.claim(trigger.triggerId, expected, claim, now))) return;
    if (!firing) return;

    const fire: TriggerFireRecord = {
      fireId: newId('triggerFire'),
      triggerId: trigger.triggerId,
      clusterId: trigger.clusterId,
      runId: null,
      taskId: null,
      triggeredAt: now,
      status: 'pending',
      error: null,
      executionTimeMs: null,
      numClusters: null,
      numDocuments: null,
    };
    try {
      const started = await this.firer.fire(trigger);
      await this.store.triggers.recordFire({ ...fire, runId: started.runId, taskId: started.taskId }, true);
      report.fired.push(trigger.triggerId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'execution_in_flight') {
        const busy = (error.details?.run_id as string | null) ?? 'another execution';
        await this.store.triggers.recordFire({ ...fire, status: 'skipped', error: `Skipped: cluster ${trigger.clusterId} was still running ${busy}; one execution runs per cluster at a time` }, false);
        report.skipped.push(trigger.triggerId);
        return;
      }
      // The execution could not even be created: record the fire and count it as a failure.
      const message = `Could not start an execution: ${(error as Error).message}`;
      await this.store.triggers.recordFire(fire, false);
      await this.settleWith(fire, { status: 'failed', error: message, executionTimeMs: null, numClusters: null, numDocuments: null });
    }
  }
}
