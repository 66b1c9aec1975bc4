/**
 * In real headless chromium against the real server: sign in, the cluster list, summary cards and
 * the history table (rows, page counts, status filter, search, sort), then run an execution from
 * the UI and open it: live status, metric bands, cluster cards, and a scatter with painted pixels.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { blobs, seedCollection, startTestServer, TEST_KEY, waitFor, type TestServer } from '../helpers/test-server.ts';
import { canvasColours, launchBrowser, newPage, pageErrors, screenshot, seedHistory, signIn } from './helpers.ts';

const NS = 'dash';
let server: TestServer;
let browser: Browser;
let page: Page;
let history: { cluster_id: string; namespace_id: string };
let blobsCluster: { cluster_id: string };
let runIds: string[];
const POINTS_PER_BLOB = 60;

before(async () => {
  // pollMs 60 s: the worker only claims what the API wakes it for, never the seeded history.
  server = await startTestServer({ pollMs: 60_000, computeThreads: 1 }, NS);
  await seedCollection(server, NS, blobs(3, POINTS_PER_BLOB, 4, 7).vectors);
  const created = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'history', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 2 } } } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  history = created.body;
  runIds = await seedHistory(server, history, 17, 6);
  const second = await server.call('POST', '/v1/clusters', { body: { collection_ids: ['docs'], cluster_name: 'blobs', vector_config: { feature_uris: ['embedding'], clustering_method: 'kmeans', algorithm_params: { n_clusters: 3 } } } });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  blobsCluster = second.body;
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => page.locator('[data-testid="history-table"] tbody tr');
const pageStatus = () => page.getByTestId('page-status');

test('a wrong key is refused with a way forward, the right one opens the cluster list', async () => {
  await signIn(page, server, 'not-the-key');
  await page.getByText('That key was refused').waitFor();
  await screenshot(page, '01-sign-in-refused');
  await page.getByLabel('API key').fill(TEST_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Clusters in ${NS}` }).waitFor();
  // The heading shows before the list request answers; the rows follow it.
  await page.waitForFunction(`document.querySelectorAll('table.data tbody th a').length === 2`);
  const names = await page.locator('table.data tbody th a').allTextContents();
  assert.deepEqual(names.sort(), ['blobs', 'history']);
  assert.equal(await page.getByLabel('Namespace').inputValue(), NS);
  await screenshot(page, '02-cluster-list');
});

test('the history table pages through every execution with the API page counts', async () => {
  await page.getByRole('link', { name: 'history', exact: true }).click();
  await page.getByRole('heading', { name: 'history', exact: true }).waitFor();
  await page.getByTestId('card-executions').waitFor();
  assert.equal(await page.getByTestId('card-executions').textContent(), '23');
  assert.equal(await page.getByTestId('card-success').textContent(), `${((17 / 23) * 100).toFixed(1)}%`);
  await page.waitForFunction(`document.querySelectorAll('[data-testid="history-table"] tbody tr').length === 10`);
  assert.match((await pageStatus().textContent())!, /Page 1 of 3 · showing 1–10 of 23/);
  // Newest first by default: the last seeded run leads.
  assert.equal(await rows().first().getAttribute('data-run-id'), runIds[22]);
  await screenshot(page, '03-cluster-overview');

  const seen = new Set<string>();
  for (const [n, expected] of [[1, 10], [2, 10], [3, 3]] as const) {
    if (n > 1) await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForFunction(`document.querySelector('[data-testid="page-status"]').textContent.startsWith('Page ${n} of 3')`);
    await page.waitForFunction(`document.querySelectorAll('[data-testid="history-table"] tbody tr').length === ${expected}`);
    for (const id of await rows().evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { runId: string } }).dataset.runId))) seen.add(id);
  }
  assert.deepEqual([...seen].sort(), [...runIds].sort());
  assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled());
});

test('filtering by status, searching and sorting are answered by the list endpoint', async () => {
  await page.locator('select[name=status]').selectOption('failed');
  await page.waitForFunction(`document.querySelector('[data-testid="page-status"]').textContent.includes('of 6')`);
  assert.match((await pageStatus().textContent())!, /Page 1 of 1 · showing 1–6 of 6/);
  const statuses = await rows().locator('.badge').allTextContents();
  assert.deepEqual(statuses, Array(6).fill('failed'));
  await screenshot(page, '04-history-filtered-failed');

  await page.locator('select[name=status]').selectOption('');
  await page.locator('input[name=search]').fill(runIds[4]!);
  await page.waitForFunction(`document.querySelectorAll('[data-testid="history-table"] tbody tr').length === 1 && document.querySelector('[data-testid="history-table"] tbody tr').dataset.runId === ${JSON.stringify(runIds[4])}`);
  assert.match((await pageStatus().textContent())!, /Page 1 of 1 · showing 1–1 of 1$/);
  // Search also reaches failure messages. (A term with a dash: run ids never contain one, so no
  // other run can match it by its id, as a bare "20" could.)
  await page.locator('input[name=search]').fill('case-20');
  await page.waitForFunction(`document.querySelectorAll('[data-testid="history-table"] tbody tr').length === 1 && document.querySelector('[data-testid="history-table"] tbody tr').dataset.runId === ${JSON.stringify(runIds[20])}`);
  await page.locator('input[name=search]').fill('no such run anywhere');
  await page.getByText('No execution matches these filters').waitFor();
  await page.locator('input[name=search]').fill('');

  // A date window that ends yesterday excludes every run.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await page.locator('input[name=to]').fill(yesterday);
  await page.getByText('No execution matches these filters').waitFor();
  await page.locator('input[name=to]').fill('');
  await page.waitForFunction(`document.querySelector('[data-testid="page-status"]').textContent.includes('of 23')`);

  const api = await server.call('POST', `/v1/clusters/${history.cluster_id}/executions/list?page=1&page_size=10`, { body: { sort: { field: 'num_clusters', direction: 'asc' } } });
  const expected = api.body.results.map((r: { run_id: string }) => r.run_id);
  await page.getByRole('button', { name: /^Clusters/ }).click();
  // The table shows the API's own order for that sort, the column header says so.
  await page.waitForFunction(`JSON.stringify([...document.querySelectorAll('[data-testid="history-table"] tbody tr')].map((tr) => tr.dataset.runId)) === ${JSON.stringify(JSON.stringify(expected))}`);
  assert.match((await page.locator('th[aria-sort="ascending"]').textContent())!, /^Clusters/);
  const counts = (await rows().locator('td:nth-of-type(4)').allTextContents()).map(Number);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
  assert.deepEqual(counts.slice(0, 6), [0, 0, 0, 0, 0, 0], 'the six failed runs found no clusters');
});

test('an execution run from the UI shows live status, metrics, cluster cards and a painted scatter', async () => {
  await page.goto(`${server.url}/#/clusters/${blobsCluster.cluster_id}`);
  await page.getByRole('heading', { name: 'blobs', exact: true }).waitFor();
  await page.getByText('No executions yet').first().waitFor();
  await page.getByRole('button', { name: 'Run execution' }).click();
  await page.waitForURL(/#\/clusters\/clust_[A-Za-z0-9]+\/executions\/run_[A-Za-z0-9]+$/);
  await page.getByTestId('execution-status').getByText('completed').waitFor({ timeout: 60_000 });

  const cards = page.locator('.cluster-card');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 3);
  const members = (await cards.locator('p strong').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  assert.deepEqual(members.sort(), [POINTS_PER_BLOB, POINTS_PER_BLOB, POINTS_PER_BLOB]);
  const silhouette = await page.locator('.metric').first().locator('.band').textContent();
  assert.equal(silhouette, 'excellent', 'well separated blobs score a silhouette of 0.7 or more');

  const canvas = page.getByTestId('scatter-canvas');
  await page.waitForSelector('[data-testid="scatter-canvas"][data-drawn="true"]', { timeout: 30_000 });
  await page.waitForTimeout(300);
  const pixels = await canvasColours(page, '[data-testid="scatter-canvas"]');
  assert.ok(pixels.painted > 100, `scatter painted only ${pixels.painted} pixels`);
  assert.ok(pixels.distinct >= 3, `expected a colour per cluster, saw ${pixels.distinct}`);
  await screenshot(page, '05-execution');

  // Hovering a painted point shows that document's payload (fetched on hover).
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + pixels.firstPainted!.x + 1, box.y + pixels.firstPainted!.y + 1);
  await page.getByTestId('hover-card').locator('pre.payload').waitFor({ timeout: 10_000 });
  const payload = JSON.parse((await page.getByTestId('hover-card').locator('pre.payload').textContent())!);
  assert.equal(typeof payload.index, 'number');
  assert.match(payload.parity, /^(even|odd)$/);

  // Highlighting a cluster from the legend marks it and leaves only its points on the map.
  const legend = page.locator('.legend-item').first();
  await legend.click();
  assert.equal(await legend.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.cluster-card.active').count(), 1);
  await page.waitForTimeout(300);
  const faded = await canvasColours(page, '[data-testid="scatter-canvas"]');
  // One cluster of three stays: about a third of the saturated pixels remain.
  assert.ok(faded.vivid > 0 && faded.vivid < pixels.vivid * 0.6, `vivid pixels ${pixels.vivid} → ${faded.vivid} after highlighting one cluster`);
  await legend.click();
  assert.equal(await legend.getAttribute('aria-pressed'), 'false');
  await page.waitForTimeout(300);
  const restored = await canvasColours(page, '[data-testid="scatter-canvas"]');
  assert.ok(restored.vivid > pixels.vivid * 0.8, `vivid pixels back to ${restored.vivid} of ${pixels.vivid} after clearing the highlight`);
  await legend.click();
  await screenshot(page, '06-execution-highlighted');
  assert.deepEqual(pageErrors(page), []);
});
