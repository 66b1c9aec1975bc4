/**
 * In real headless chromium: the create-cluster form checks what it can locally with the API's
 * field locations, shows the API's own 422 next to the field it names, then creates the cluster;
 * and an execution held in the queue shows as pending and is canceled from its page.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { blobs, seedCollection, startTestServer, TEST_KEY, waitFor, type TestServer } from '../helpers/test-server.ts';
import { launchBrowser, newPage, pageErrors, screenshot, signIn } from './helpers.ts';

const NS = 'forms';
let server: TestServer;
let browser: Browser;
let page: Page;

before(async () => {
  browser = await launchBrowser();
  // pollMs 60 s: an execution written straight to the queue stays pending until the test cancels it.
  server = await startTestServer({ pollMs: 60_000, computeThreads: 1 }, NS);
  await seedCollection(server, NS, blobs(2, 20, 3, 3).vectors, 'articles');
  page = await newPage(browser);
  await signIn(page, server, TEST_KEY);
  await page.getByRole('heading', { name: `Clusters in ${NS}` }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const fieldError = (field: string) => page.locator(`[data-field-error="${field}"]`);

test('an empty cluster list says what to do next', async () => {
  await page.getByText('No clusters in this namespace yet').waitFor();
  await page.getByRole('link', { name: 'Create one' }).click();
  await page.getByRole('heading', { name: 'New cluster' }).waitFor();
});

test('the form shows local and API validation errors beside their fields, then creates the cluster', async () => {
  // Nothing chosen: refused before sending, at the API's location for the field.
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await fieldError('collection_ids').waitFor();
  assert.match((await fieldError('collection_ids').textContent())!, /at least one collection/);

  await page.getByLabel('Name', { exact: true }).fill('topics');
  await page.getByRole('checkbox', { name: /articles/ }).check();
  await page.getByLabel('Vector (feature URI)').fill('embedding');
  await page.getByLabel('Method').selectOption('kmeans');
  await page.getByLabel('Parameters (JSON)').fill('{"n_clusters": 1, "colour": "blue"}');
  await page.getByRole('button', { name: 'Create cluster' }).click();

  // The API's 422: both problems, each named by its place under algorithm_params.
  await fieldError('algorithm_params').waitFor();
  const text = (await fieldError('algorithm_params').textContent())!;
  assert.match(text, /n_clusters: .*2/);
  assert.match(text, /colour/);
  assert.equal(await fieldError('collection_ids').count(), 0, 'the fixed field no longer shows its error');
  assert.equal(await page.getByLabel('Parameters (JSON)').getAttribute('aria-invalid'), 'true');
  await screenshot(page, '07-create-cluster-422');
  const before = await server.call('POST', '/v1/clusters/list', { body: {} });
  assert.equal(before.body.total_count, 0, 'a refused form creates nothing');

  await page.getByLabel('Parameters (JSON)').fill('{"n_clusters": 2}');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await page.getByRole('heading', { name: 'topics', exact: true }).waitFor();
  const created = await server.call('POST', '/v1/clusters/list', { body: {} });
  assert.equal(created.body.total_count, 1);
  const cluster = created.body.results[0];
  assert.equal(cluster.cluster_name, 'topics');
  assert.deepEqual(cluster.feature_uris, ['embedding']);
  assert.equal(cluster.algorithm_params.n_clusters, 2);
  await page.getByText('No executions yet').first().waitFor();

  // A second cluster of the same name: the 409 is shown beside the name field.
  await page.goto(`${server.url}/#/clusters/new`);
  await page.getByLabel('Name', { exact: true }).fill('topics');
  await page.getByRole('checkbox', { name: /articles/ }).check();
  await page.getByLabel('Vector (feature URI)').fill('embedding');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await fieldError('cluster_name').waitFor();
  assert.match((await fieldError('cluster_name').textContent())!, /topics/);
});

test('a pending execution updates live and is canceled from its page', async () => {
  const cluster = (await server.call('POST', '/v1/clusters/list', { body: {} })).body.results[0];
  const runId = 'run_heldinqueue';
  await server.centroid.store.executions.create({ runId, taskId: 'task_heldinqueue', clusterId: cluster.cluster_id, namespaceId: cluster.namespace_id, config: {}, maxAttempts: 1 });

  await page.goto(`${server.url}/#/clusters/${cluster.cluster_id}/executions/${runId}`);
  await page.getByTestId('execution-status').getByText('pending').waitFor();
  await page.getByText('updating every second').waitFor();
  await screenshot(page, '08-execution-pending');
  await page.getByRole('button', { name: 'Cancel execution' }).click();

  await page.getByTestId('execution-status').getByText('canceled').waitFor();
  assert.match((await page.getByTestId('execution-error').textContent())!, /cancel/i);
  assert.equal(await page.getByRole('button', { name: 'Cancel execution' }).count(), 0, 'no cancel button once finished');
  const stored = await waitFor(() => server.call('GET', `/v1/clusters/${cluster.cluster_id}/executions/${runId}`), (r) => r.body.status === 'failed');
  assert.match(stored.body.error_message, /cancel/i);
  await screenshot(page, '09-execution-canceled');

  // The cluster page's history and cards now count the canceled run as failed.
  await page.getByRole('link', { name: 'topics' }).click();
  await page.getByTestId('card-executions').waitFor();
  assert.equal(await page.getByTestId('card-executions').textContent(), '1');
  assert.equal(await page.locator('[data-testid="history-table"] tbody tr .badge').textContent(), 'failed');
  assert.deepEqual(pageErrors(page), []);
});
