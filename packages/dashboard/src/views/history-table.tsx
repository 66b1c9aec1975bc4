/**
 * Execution history driven by POST …/executions/list itself: every sort, filter, search and page
 * change is one request, so the table shows exactly what the API returns.
 */
import { useState } from 'preact/hooks';
import { api, enc } from '../api.ts';
import { ErrorState, StatusBadge } from '../components/states.tsx';
import { formatDate, formatDuration, formatNumber } from '../format.ts';
import { useAsync, useDebounced } from '../hooks.ts';
import { href } from '../router.ts';
import type { ExecutionList } from '../types.ts';

type SortField = 'created_at' | 'completed_at' | 'status' | 'num_clusters' | 'num_points' | 'metrics.silhouette_score' | 'metrics.davies_bouldin_index';

const COLUMNS: Array<{ field: SortField | null; label: string; num?: boolean }> = [
  { field: null, label: 'Run' },
  { field: 'status', label: 'Status' },
  { field: 'created_at', label: 'Created' },
  { field: null, label: 'Duration' },
  { field: 'num_clusters', label: 'Clusters', num: true },
  { field: 'num_points', label: 'Points', num: true },
  { field: 'metrics.silhouette_score', label: 'Silhouette', num: true },
  { field: 'metrics.davies_bouldin_index', label: 'Davies-Bouldin', num: true },
];

export function buildListBody(opts: { status: string; from: string; to: string; search: string; sort: { field: string; direction: 'asc' | 'desc' } }) {
  const conditions: Array<{ field: string; operator: string; value: unknown }> = [];
  if (opts.status) conditions.push({ field: 'status', operator: 'eq', value: opts.status });
  if (opts.from) conditions.push({ field: 'created_at', operator: 'gte', value: `${opts.from}T00:00:00.000Z` });
  if (opts.to) conditions.push({ field: 'created_at', operator: 'lte', value: `${opts.to}T23:59:59.999Z` });
  return {
    ...(conditions.length ? { filters: { AND: conditions } } : {}),
    ...(opts.search.trim() ? { search: opts.search.trim() } : {}),
    sort: opts.sort,
  };
}

export function HistoryTable({ clusterId }: { clusterId: string }) {
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [searchInput, setSearchInput] = useState('');
  const search = useDebounced(searchInput, 300);
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'created_at', direction: 'desc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);

  const list = useAsync(
    (signal) =>
      api<ExecutionList>('POST', `/v1/clusters/${enc(clusterId)}/executions/list?page=${page}&page_size=${pageSize}`, {
        body: buildListBody({ status, from, to, search, sort }),
        signal,
      }),
    [clusterId, status, from, to, search, sort.field, sort.direction, page, pageSize],
  );
  // Any change of the query starts again at page 1.
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };
  const toggleSort = (field: SortField) => {
    setSort((s) => (s.field === field ? { field, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { field, direction: field === 'created_at' ? 'desc' : 'asc' }));
    setPage(1);
  };

  const data = list.data;
  const total = data?.total_count ?? 0;
  const totalPages = data?.pagination.total_pages ?? 1;
  // Counts come from the answer on screen, not the page just requested, so they never disagree with the rows.
  const shownPage = data?.pagination.page ?? page;
  const shownSize = data?.pagination.page_size ?? pageSize;
  const first = total === 0 ? 0 : (shownPage - 1) * shownSize + 1;
  const last = Math.min(total, shownPage * shownSize);
  const filtered = status !== '' || from !== '' || to !== '' || search.trim() !== '';

  return (
    <section class="panel history" aria-labelledby="history-title">
      <h2 id="history-title">Execution history</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Filter executions">
        <label>
          <span>Status</span>
          <select name="status" value={status} onChange={(e) => reset(setStatus)((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">All</option>
            <option value="completed">Completed</option>
            <option value="failed">Failed</option>
            <option value="processing">Processing</option>
            <option value="pending">Pending</option>
          </select>
        </label>
        <label>
          <span>Created from</span>
          <input type="date" name="from" value={from} onChange={(e) => reset(setFrom)((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          <span>Created to</span>
          <input type="date" name="to" value={to} onChange={(e) => reset(setTo)((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label class="grow">
          <span>Search</span>
          <input
            type="search"
            name="search"
            placeholder="run id, error text, cluster label…"
            value={searchInput}
            onInput={(e) => {
              setSearchInput((e.currentTarget as HTMLInputElement).value);
              setPage(1);
            }}
          />
        </label>
        <label>
          <span>Rows per page</span>
          <select name="page_size" value={String(pageSize)} onChange={(e) => reset(setPageSize)(Number((e.currentTarget as HTMLSelectElement).value))}>
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </form>

      {list.error ? (
        <ErrorState error={list.error} what="the execution history" retry={list.reload} />
      ) : (
        <div class="table-wrap" aria-busy={list.loading ? 'true' : 'false'}>
          <table class="data" data-testid="history-table">
            <caption class="sr-only">Executions, sorted by {sort.field} {sort.direction === 'asc' ? 'ascending' : 'descending'}</caption>
            <thead>
              <tr>
                {COLUMNS.map((col) => (
                  <th
                    scope="col"
                    key={col.label}
                    class={col.num ? 'num' : undefined}
                    aria-sort={col.field && sort.field === col.field ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {col.field ? (
                      <button type="button" class="sort" onClick={() => toggleSort(col.field!)}>
                        {col.label}
                        <span aria-hidden="true">{sort.field === col.field ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                      </button>
                    ) : (
                      col.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data?.results.map((e) => (
                <tr key={e.run_id} data-run-id={e.run_id}>
                  <th scope="row">
                    <a class="mono" href={href({ name: 'execution', clusterId, runId: e.run_id })}>
                      {e.run_id}
                    </a>
                  </th>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td>{formatDate(e.created_at)}</td>
                  <td>{formatDuration(e.execution_time_ms)}</td>
                  <td class="num">{e.num_clusters}</td>
                  <td class="num">{e.num_points.toLocaleString('en-US')}</td>
                  <td class="num">{formatNumber(e.metrics?.silhouette_score)}</td>
                  <td class="num">{formatNumber(e.metrics?.davies_bouldin_index)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data && data.results.length === 0 && (
            <p class="state state-empty" role="status">
              {filtered ? 'No execution matches these filters. Clear the search or widen the status and dates.' : 'No executions yet: press “Run execution” above.'}
            </p>
          )}
        </div>
      )}
      <nav class="pager" aria-label="History pages">
        <button type="button" class="secondary" disabled={page <= 1 || list.loading} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span data-testid="page-status" aria-live="polite">
          Page {data?.pagination.page ?? '…'} of {data ? totalPages : '…'} · showing {first}–{last} of {total}
        </span>
        <button type="button" class="secondary" disabled={!data?.pagination.next_page || list.loading} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </nav>
    </section>
  );
}
