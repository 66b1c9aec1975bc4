#!/usr/bin/env node
/** `centroid serve | worker | keys | migrate`: the command line over the same composition root. */
import { Command } from 'commander';
import { loadSettings, SETTINGS_HELP, type Settings } from '../config/settings.ts';
import { startCentroid } from '../main.ts';
import { openStore } from '../storage/kysely/index.ts';
import type { WorkerLog } from '../queue/execution-worker.ts';
import { ApiKeyService } from '../services/api-keys.ts';

const program = new Command('centroid').description('Self-hostable clustering service (Mixpeek clustering API compatible)');
program.addHelpText('after', '\nSettings (environment variables):\n' + SETTINGS_HELP.map(([k, d, t]) => `  ${k.padEnd(38)} ${t} (default ${d})`).join('\n'));

/** Where the data lives, for start-up lines; never prints a password. */
function describeStore(settings: Settings): string {
  return settings.databaseUrl ? `PostgreSQL ${settings.databaseUrl.replace(/:[^:@/]*@/, ':***@')}` : settings.dataDir;
}

/** One JSON line per event on stdout, like the HTTP server's own log, for processes without HTTP. */
function jsonLogger(level: Settings['logLevel']): WorkerLog {
  const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const min = level === 'silent' ? Infinity : order.indexOf(level);
  const line = (name: string) => (obj: object, msg?: string) => {
    if (order.indexOf(name) < min) return;
    const fields: Record<string, unknown> = { ...obj };
    if (fields.err instanceof Error) fields.err = { message: fields.err.message, stack: fields.err.stack };
    process.stdout.write(JSON.stringify({ level: name, time: Date.now(), pid: process.pid, ...fields, msg }) + '\n');
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/**
 * SIGTERM / SIGINT: stop claiming, let running executions finish for up to
 * CENTROID_SHUTDOWN_GRACE_MS, hand the rest back to the queue (their attempt does not count),
 * then exit. A second signal exits at once; the lease then brings the executions back.
 */
function onSignals(close: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting now; unfinished executions return to the queue when their lease expires`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: finishing running executions, then stopping`);
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

program
  .command('serve')
  .description('run the HTTP API with its execution workers')
  .option('--no-workers', 'serve the API only; run `centroid worker` for executions')
  .action(async (opts: { workers: boolean }) => {
    const settings = loadSettings();
    const centroid = await startCentroid(settings, { http: true, workers: opts.workers });
    if (centroid.initialApiKey) {
      console.log(`\nCreated the first API key (shown only now; store it safely):\n\n  ${centroid.initialApiKey}\n\nUse it as: Authorization: Bearer ${centroid.initialApiKey}\n`);
    }
    console.log(`Centroid listening on ${centroid.url} (data in ${describeStore(settings)}${opts.workers ? '' : '; no workers: run `centroid worker` for executions'}); API docs at ${centroid.url}/docs`);
    onSignals(() => centroid.close());
  });

program
  .command('worker')
  .description('run execution workers only (no HTTP)')
  .action(async () => {
    const settings = loadSettings();
    const centroid = await startCentroid(settings, { http: false, workers: true, logger: jsonLogger(settings.logLevel) });
    console.log(`Centroid worker ${centroid.worker?.owner} started (data in ${describeStore(settings)})`);
    onSignals(() => centroid.close());
  });

program
  .command('migrate')
  .description('create or upgrade the database schema, then exit')
  .action(async () => {
    const settings = loadSettings();
    const store = await openStore(settings);
    await store.close();
    console.log(`database is up to date (${describeStore(settings)})`);
  });

const keys = program.command('keys').description('manage API keys');
async function withKeys<T>(fn: (keys: ApiKeyService) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const store = await openStore(settings);
  try {
    return await fn(new ApiKeyService(store, settings.apiKey));
  } finally {
    await store.close();
  }
}
keys
  .command('create')
  .option('--name <name>', 'a label for the key', 'cli')
  .description('create a key and print it once')
  .action((opts: { name: string }) =>
    withKeys(async (k) => {
      const { key, record } = await k.create(opts.name);
      console.log(`${key}\n(id ${record.keyId}, name ${record.name}; shown only now)`);
    }),
  );
keys
  .command('list')
  .description('list keys (prefixes only)')
  .action(() =>
    withKeys(async (k) => {
      for (const r of await k.list()) {
        console.log([r.keyId, r.keyPrefix + '…', r.name, new Date(r.createdAt).toISOString(), r.revokedAt ? 'revoked' : 'active'].join('\t'));
      }
    }),
  );
keys
  .command('revoke <idOrPrefix>')
  .description('revoke a key by id or prefix')
  .action((idOrPrefix: string) =>
    withKeys(async (k) => {
      if (!(await k.revoke(idOrPrefix))) {
        console.error(`no active key '${idOrPrefix}'`);
        process.exitCode = 1;
      } else console.log(`revoked ${idOrPrefix}`);
    }),
  );

await program.parseAsync();
