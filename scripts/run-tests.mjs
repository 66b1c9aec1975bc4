// Runs the test suite twice: every test on the embedded SQLite store, then the server's tests
// that use a database again on PostgreSQL. Node 20's test runner neither expands globs nor finds .ts files by
// itself, so the file lists are collected here.
//
//   node scripts/run-tests.mjs [path-substring …]
//
// CENTROID_TEST_DATABASE_URL: the PostgreSQL of the second pass (default
// postgres://root@127.0.0.1:5432/test; 'off' skips it). Each test server makes a schema of its
// own there and drops it on close. When the server cannot be reached the pass is skipped with
// the reason, except under CI=true, where an unreachable PostgreSQL fails the run.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/test';
/** Tests that only mean something on PostgreSQL (several processes sharing one database). */
const POSTGRES_ONLY = join('packages', 'server', 'test', 'postgres') + '/';
const SERVER_TESTS = join('packages', 'server') + '/';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function runNodeTests(files, env, extraArgs = []) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extraArgs, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

/** Why PostgreSQL cannot be used, or null when it answers. */
async function unreachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.constructor.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const redact = (url) => url.replace(/:[^:@/]*@/, ':***@');

const only = process.argv.slice(2);
const all = collect('packages', []).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (all.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

let failed = false;
const sqliteFiles = all.filter((f) => !f.startsWith(POSTGRES_ONLY));
if (sqliteFiles.length > 0) {
  console.log(`\n# Pass 1: ${sqliteFiles.length} test files on the embedded SQLite store\n`);
  // An inherited CENTROID_TEST_DATABASE_URL must not turn this pass into a second PostgreSQL one.
  if (runNodeTests(sqliteFiles, { CENTROID_TEST_DATABASE_URL: '' }) !== 0) failed = true;
}

// Server tests that never open a database (schemas, parsers, pure computations) would only repeat
// pass 1; the second pass takes those that start a server, a store or centroid processes.
// Test-side helpers (harnesses) are followed through their relative imports.
const TOUCHES_DATABASE = /test-server\.ts|\/storage\/|startCentroid|openStore|DATABASE_URL/;
function touchesDatabase(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (TOUCHES_DATABASE.test(text)) return true;
  for (const [, spec] of text.matchAll(/from '(\.\.?\/[^']+\.ts)'/g)) {
    const target = normalize(join(dirname(file), spec));
    if (target.startsWith(join('packages', 'server', 'test')) && touchesDatabase(target, seen)) return true;
  }
  return false;
}
const pgFiles = all.filter((f) => f.startsWith(SERVER_TESTS) && touchesDatabase(f));
const configured = process.env.CENTROID_TEST_DATABASE_URL;
const url = configured === undefined || configured === '' ? DEFAULT_DATABASE_URL : configured;
const ci = process.env.CI === 'true';
if (pgFiles.length > 0) {
  const reason = url === 'off' ? 'CENTROID_TEST_DATABASE_URL=off' : await unreachable(url);
  if (reason !== null) {
    if (ci) {
      console.error(`\n# Pass 2 FAILED: PostgreSQL at ${redact(url)} is unreachable (${reason}).\n# CI=true requires the PostgreSQL pass; start PostgreSQL or point CENTROID_TEST_DATABASE_URL at one.\n`);
      failed = true;
    } else {
      console.log(`\n# Pass 2 skipped: the ${pgFiles.length} server test files did not run on PostgreSQL (${redact(url)}: ${reason}).\n# Set CENTROID_TEST_DATABASE_URL to a reachable server to run them; under CI=true this fails the run.\n`);
    }
  } else {
    console.log(`\n# Pass 2: ${pgFiles.length} server test files on PostgreSQL (${redact(url)}), one schema per test server\n`);
    // Much of this pass waits on the database and on child processes, so two files at a time
    // keep two cores busy without oversubscribing them.
    if (runNodeTests(pgFiles, { CENTROID_TEST_DATABASE_URL: url }, ['--test-concurrency=2']) !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
