/** One cluster: run button, summary cards, status pie, trends, and the execution history table. */
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, enc } from '../api.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { ErrorState, Loading, StatusBadge } from '../components/states.tsx';
import { formatDuration, formatNumber, formatPercent, interpretSilhouette } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { href, navigate } from '../router.ts';
import type { Cluster, ExecutionList, TaskResponse } from '../types.ts';
import { HistoryTable } from './history-table.tsx';

/** Summary cards and charts cover the most recent runs (the list endpoint's page maximum). */
const RECENT = 100;

const STATUS_COLORS: Record<string, string> = { completed: '#2e7d32', failed: '#c62828', processing: '#1565c0', pending: '#8d6e00' };

export function ClusterDetail({ clusterId }: { clusterId: string }) {
  const cluster = useAsync((signal) => api<Cluster>('GET', `/v1/clusters/${enc(clusterId)}`, { signal }), [clusterId]);
  const recent = useAsync(
    (signal) => api<ExecutionList>('POST', `/v1/clusters/${enc(clusterId)}/executions/list?page_size=${RECENT}`, { body: {}, signal }),
    [clusterId],
  );
  const [runError, setRunError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    setRunError(null);
    try {
      const task = await api<TaskResponse>('POST', `/v1/clusters/${enc(clusterId)}/execute`);
      const runId = task.additional_data?.run_id;
      if (runId) navigate({ name: 'execution', clusterId, runId });
      else recent.reload();
    } catch (err) {
      setRunError(
        err instanceof ApiError && err.status === 409
          ? `${err.message}. Open the running execution from the history below, or cancel it first.`
          : (err as Error).message,
      );
    } finally {
      setRunning(false);
    }
  };

  if (cluster.loading && !cluster.data) return <Loading what="the cluster" />;
  if (cluster.error || !cluster.data) return <ErrorState error={cluster.error ?? new Error('not found')} what="the cluster" retry={cluster.reload} />;
  const c = cluster.data;

  return (
    <section>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href={href({ name: 'clusters' })}>Clusters</a> / <span aria-current="page">{c.cluster_name}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1 tabIndex={-1}>{c.cluster_name}</h1>
          <p class="muted">
            <span class="mono">{c.cluster_id}</span> · {c.algorithm ?? c.cluster_type} on {c.input_collections.join(', ')}
            {c.feature_uris?.length ? ` · ${c.feature_uris.join(', ')}` : ''} · <StatusBadge status={c.status} />
          </p>
          {c.description && <p>{c.description}</p>}
        </div>
        <div class="actions">
          <button type="button" onClick={run} disabled={running}>
            {running ? 'Starting…' : 'Run execution'}
          </button>
        </div>
      </div>
      {runError && (
        <p class="banner banner-error" role="alert">
          Could not start an execution: {runError}
        </p>
      )}
      {recent.loading && !recent.data ? (
        <Loading what="execution statistics" />
      ) : recent.error ? (
        <ErrorState error={recent.error} what="execution statistics" retry={recent.reload} />
      ) : (
        <Overview list={recent.data!} />
      )}
      <HistoryTable clusterId={clusterId} />
    </section>
  );
}

function Overview({ list }: { list: ExecutionList }) {
  const stats = list.stats ?? {};
  const byStatus = stats.executions_by_status ?? {};
  const finished = (byStatus.completed ?? 0) + (byStatus.failed ?? 0);
  const latestCompleted = list.results.find((e) => e.status === 'completed');
  const latestSilhouette = latestCompleted?.metrics?.silhouette_score ?? null;
  const band = interpretSilhouette(latestSilhouette);
  const n = list.results.length;
  const scope = list.total_count > n ? `latest ${n} runs` : 'all runs';

  const pie = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          label: { formatter: '{b}: {c}' },
          data: Object.entries(byStatus)
            .filter(([, v]) => v > 0)
            .map(([name, value]) => ({ name, value, itemStyle: { color: STATUS_COLORS[name] ?? '#666' } })),
        },
      ],
    }),
    [list],
  );

  const trend = useMemo<ChartOption>(() => {
    const runs = [...list.results].reverse();
    const labels = runs.map((e) => e.created_at.slice(5, 16).replace('T', ' '));
    const metric = (pick: (e: (typeof runs)[number]) => number | null | undefined) => runs.map((e) => (e.status === 'completed' ? (pick(e) ?? null) : null));
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, selected: { 'Calinski-Harabasz': false } },
      grid: { left: 48, right: 56, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: 'score', scale: true },
        { type: 'value', name: 'seconds', position: 'right', splitLine: { show: false } },
        { type: 'value', show: false, scale: true },
      ],
      series: [
        { name: 'Silhouette', type: 'line', data: metric((e) => e.metrics?.silhouette_score), connectNulls: true, itemStyle: { color: '#1f77b4' } },
        { name: 'Davies-Bouldin', type: 'line', data: metric((e) => e.metrics?.davies_bouldin_index), connectNulls: true, itemStyle: { color: '#d62728' } },
        { name: 'Calinski-Harabasz', type: 'line', yAxisIndex: 2, data: metric((e) => e.metrics?.calinski_harabasz_score), connectNulls: true, itemStyle: { color: '#2ca02c' } },
        {
          name: 'Execution time',
          type: 'line',
          yAxisIndex: 1,
          data: runs.map((e) => (e.execution_time_ms == null ? null : e.execution_time_ms / 1000)),
          connectNulls: true,
          lineStyle: { type: 'dashed' },
          itemStyle: { color: '#7f7f7f' },
        },
      ],
    };
  }, [list]);

  if (list.total_count === 0) {
    return (
      <div class="state state-empty" role="status">
        <h2>No executions yet</h2>
        <p>Press “Run execution” to cluster the documents now; results, charts and history appear here as runs finish.</p>
      </div>
    );
  }

  return (
    <>
      <ul class="cards" aria-label={`Summary over ${scope}`}>
        <li class="card">
          <span class="card-label">Executions</span>
          <span class="card-value" data-testid="card-executions">{list.total_count.toLocaleString('en-US')}</span>
          <span class="card-note">{byStatus.processing || byStatus.pending ? `${(byStatus.processing ?? 0) + (byStatus.pending ?? 0)} in flight` : 'none in flight'}</span>
        </li>
        <li class="card">
          <span class="card-label">Success rate</span>
          <span class="card-value" data-testid="card-success">{finished ? formatPercent((byStatus.completed ?? 0) / finished) : '—'}</span>
          <span class="card-note">
            {byStatus.completed ?? 0} completed, {byStatus.failed ?? 0} failed ({scope})
          </span>
        </li>
        <li class="card">
          <span class="card-label">Avg execution time</span>
          <span class="card-value">{formatDuration(stats.avg_execution_time_ms)}</span>
          <span class="card-note">{scope}</span>
        </li>
        <li class="card">
          <span class="card-label">Avg clusters</span>
          <span class="card-value">{formatNumber(stats.avg_num_clusters, 1)}</span>
          <span class="card-note">{scope}</span>
        </li>
        <li class="card">
          <span class="card-label">Latest silhouette</span>
          <span class="card-value">{formatNumber(latestSilhouette)}</span>
          <span class={`card-note band band-${band.band}`}>{latestCompleted ? band.band : 'no completed run'}</span>
        </li>
      </ul>
      <div class="chart-row">
        <figure class="panel">
          <figcaption>Status of {scope}</figcaption>
          <Chart option={pie} label={`Status pie chart: ${Object.entries(byStatus).map(([k, v]) => `${v} ${k}`).join(', ')}`} />
        </figure>
        <figure class="panel grow">
          <figcaption>Quality metrics and execution time, oldest to newest</figcaption>
          <Chart option={trend} label="Trend of silhouette, Davies-Bouldin and execution time across runs" />
        </figure>
      </div>
    </>
  );
}
