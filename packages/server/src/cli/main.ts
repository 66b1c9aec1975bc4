#!/usr/bin/env node
/** `centroid serve | worker | keys | migrate`: the command line over the same composition root. */
import { Command } from 'commander';
import { loadSettings, SETTINGS_HELP } from '../config/settings.ts';
import { startCentroid } from '../main.ts';
import { openEmbeddedStore } from '../storage/kysely/index.ts';
import { ApiKeyService } from '../services/api-keys.ts';

const program = new Command('centroid').description('Self-hostable clustering service (Mixpeek clustering API compatible)');
program.addHelpText('after', '\nSettings (environment variables):\n' + SETTINGS_HELP.map(([k, d, t]) => `  ${k.padEnd(38)} ${t} (default ${d})`).join('\n'));

function onSignals(close: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
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
    console.log(`Centroid listening on ${centroid.url} (data in ${settings.dataDir}); API docs at ${centroid.url}/docs`);
    onSignals(() => centroid.close());
  });

program
  .command('worker')
  .description('run execution workers only (no HTTP)')
  .action(async () => {
    const centroid = await startCentroid(loadSettings(), { http: false, workers: true });
    console.log(`Centroid worker ${centroid.worker?.owner} started`);
    onSignals(() => centroid.close());
  });

program
  .command('migrate')
  .description('create or upgrade the database schema, then exit')
  .action(async () => {
    const store = await openEmbeddedStore(loadSettings().dataDir);
    await store.close();
    console.log('database is up to date');
  });

const keys = program.command('keys').description('manage API keys');
async function withKeys<T>(fn: (keys: ApiKeyService) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const store = await openEmbeddedStore(settings.dataDir);
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
