/** One execution: live status, cancel, timings, errors, metric bands, cluster cards and the scatter. */
import { useState } from 'preact/hooks';
import { api, enc } from '../api.ts';
import { ErrorState, Loading, StatusBadge } from '../components/states.tsx';
import {
  colorFor, formatDate, formatDuration, formatNumber, formatPercent, interpretCalinskiHarabasz, interpretDaviesBouldin, interpretSilhouette,
  type Interpretation,
} from '../format.ts';
import { useAsync, useInterval } from '../hooks.ts';
import { href } from '../router.ts';
import { Scatter } from '../scatter/scatter.tsx';
import type { Centroid, Cluster, Execution } from '../types.ts';

const POLL_MS = 1000;

export function ExecutionDetail({ clusterId, runId }: { clusterId: string; runId: string }) {
  const execution = useAsync((signal) => api<Execution>('GET', `/v1/clusters/${enc(clusterId)}/executions/${enc(runId)}`, { signal }), [clusterId, runId]);
  const cluster = useAsync((signal) => api<Cluster>('GET', `/v1/clusters/${enc(clusterId)}`, { signal }), [clusterId]);
  const [cancelState, setCancelState] = useState<{ busy: boolean; message: string | null; error: string | null }>({ busy: false, message: null, error: null });
  const [highlight, setHighlight] = useState<string | null>(null);

  const e = execution.data;
  const live = e !== null && (e.status === 'pending' || e.status === 'processing');
  useInterval(() => execution.reload(), POLL_MS, live && !execution.loading);

  const cancel = async () => {
    setCancelState({ busy: true, message: null, error: null });
    try {
      const answer = await api<{ status: string; message: string }>('POST', `/v1/clusters/${enc(clusterId)}/executions/${enc(runId)}/cancel`);
      setCancelState({ busy: false, message: answer.message, error: null });
      execution.reload();
    } catch (err) {
      setCancelState({ busy: false, message: null, error: (err as Error).message });
      execution.reload();
    }
  };

  if (!e && execution.loading) return <Loading what="the execution" />;
  if (!e) return <ErrorState error={execution.error ?? new Error('not found')} what="the execution" retry={execution.reload} />;

  const queuedMs = e.started_at ? Date.parse(e.started_at) - Date.parse(e.created_at) : null;
  const runMs = e.started_at && e.completed_at ? Date.parse(e.completed_at) - Date.parse(e.started_at) : null;
  const canceled = e.status === 'failed' && /cancel/i.test(e.error_message ?? '');

  return (
    <section>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href={href({ name: 'clusters' })}>Clusters</a> / <a href={href({ name: 'cluster', clusterId })}>{cluster.data?.cluster_name ?? clusterId}</a> /{' '}
        <span aria-current="page">{runId}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1 tabIndex={-1}>
            Execution <span class="mono">{e.run_id}</span>
          </h1>
          <p class="status-line" aria-live="polite" data-testid="execution-status">
            Status: <StatusBadge status={canceled ? 'canceled' : e.status} />
            {live && <span class="muted"> · updating every second</span>}
            {canceled && <span class="muted"> (failed by a cancel request)</span>}
          </p>
        </div>
        <div class="actions">
          {live && (
            <button type="button" class="danger" onClick={cancel} disabled={cancelState.busy}>
              {cancelState.busy ? 'Canceling…' : 'Cancel execution'}
            </button>
          )}
        </div>
      </div>
      {cancelState.message && (
        <p class="banner" role="status">
          {cancelState.message}
        </p>
      )}
      {cancelState.error && (
        <p class="banner banner-error" role="alert">
          Cancel failed: {cancelState.error}
        </p>
      )}
      {execution.error && (
        <p class="banner banner-error" role="alert">
          Live update failed ({execution.error.message}); showing the last known state.
        </p>
      )}

      <dl class="timings panel" aria-label="Timings">
        <div>
          <dt>Queued</dt>
          <dd>{formatDate(e.created_at)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(e.started_at)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatDate(e.completed_at)}</dd>
        </div>
        <div>
          <dt>Waited in queue</dt>
          <dd>{formatDuration(queuedMs)}</dd>
        </div>
        <div>
          <dt>Ran for</dt>
          <dd>{formatDuration(runMs)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{formatDuration(e.execution_time_ms)}</dd>
        </div>
        <div>
          <dt>Points</dt>
          <dd>{e.num_points.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Clusters</dt>
          <dd>{e.num_clusters}</dd>
        </div>
      </dl>

      {e.error_message && (
        <div class="banner banner-error" role="alert" data-testid="execution-error">
          <strong>{canceled ? 'Canceled' : 'Failed'}:</strong> {e.error_message}
          {!canceled && <p>Fix the cluster configuration or the data it reads, then run it again from the cluster page.</p>}
        </div>
      )}
      {e.llm_labeling_errors && e.llm_labeling_errors.length > 0 && <LabelingErrors errors={e.llm_labeling_errors} />}

      {e.status === 'completed' && (
        <>
          <h2>Quality</h2>
          <ul class="cards metrics">
            <Metric name="Silhouette" range="−1 to 1, higher is better" value={e.metrics?.silhouette_score} meaning={interpretSilhouette(e.metrics?.silhouette_score)} />
            <Metric name="Davies-Bouldin" range="0 and up, lower is better" value={e.metrics?.davies_bouldin_index} meaning={interpretDaviesBouldin(e.metrics?.davies_bouldin_index)} />
            <Metric name="Calinski-Harabasz" range="0 and up, higher is better" value={e.metrics?.calinski_harabasz_score} meaning={interpretCalinskiHarabasz(e.metrics?.calinski_harabasz_score)} />
          </ul>
          {e.metrics?.silhouette_sample_size ? <p class="muted small">Silhouette computed on a sample of {e.metrics.silhouette_sample_size.toLocaleString('en-US')} points.</p> : null}

          <h2>Clusters</h2>
          <ClusterCards centroids={e.centroids ?? []} total={e.num_points} highlight={highlight} onHighlight={setHighlight} />

          <h2>Map</h2>
          <Scatter clusterId={clusterId} runId={runId} collections={cluster.data?.input_collections ?? []} highlight={highlight} onHighlight={setHighlight} />
        </>
      )}
      {live && <p class="state state-loading">Results, metrics and the map appear here when the run completes.</p>}
    </section>
  );
}

function Metric({ name, range, value, meaning }: { name: string; range: string; value: number | null | undefined; meaning: Interpretation }) {
  return (
    <li class="card metric">
      <span class="card-label">{name}</span>
      <span class="card-value">{formatNumber(value)}</span>
      <span class={`band band-${meaning.band}`}>{meaning.band === 'info' || meaning.band === 'none' ? 'relative' : meaning.band}</span>
      <span class="card-note">{meaning.text}</span>
      <span class="card-note muted">{range}</span>
    </li>
  );
}

function LabelingErrors({ errors }: { errors: string[] }) {
  return (
    <div class="banner banner-warn" role="status">
      <strong>Labeling problems</strong> (the clustering itself succeeded; affected clusters keep fallback labels):
      <ul>
        {errors.map((raw, i) => {
          let text = raw;
          try {
            const parsed = JSON.parse(raw) as { error?: string; clusters?: string[] };
            if (parsed.error) text = `${parsed.error}${parsed.clusters?.length ? ` (clusters ${parsed.clusters.join(', ')})` : ''}`;
          } catch {
            // plain text error
          }
          return <li key={i}>{text}</li>;
        })}
      </ul>
    </div>
  );
}

function ClusterCards({ centroids, total, highlight, onHighlight }: { centroids: Centroid[]; total: number; highlight: string | null; onHighlight: (id: string | null) => void }) {
  if (centroids.length === 0) return <p class="state state-empty">This run found no clusters.</p>;
  return (
    <ul class="cluster-cards" aria-label="Clusters found">
      {centroids.map((c, i) => (
        <li key={c.cluster_id} class={`cluster-card${highlight === c.cluster_id ? ' active' : ''}`} data-cluster-id={c.cluster_id}>
          <h3>
            <span class="swatch" style={{ background: colorFor(i, c.cluster_id) }} aria-hidden="true" />
            {c.label ?? c.cluster_id}
          </h3>
          {c.label && <p class="muted mono small">{c.cluster_id}</p>}
          <p>
            <strong>{c.num_members.toLocaleString('en-US')}</strong> members ({formatPercent(total ? c.num_members / total : null)})
          </p>
          {c.summary && <p>{c.summary}</p>}
          {c.keywords && c.keywords.length > 0 && (
            <ul class="chips" aria-label="Keywords">
              {c.keywords.map((k) => (
                <li key={k}>{k}</li>
              ))}
            </ul>
          )}
          <p class="small">
            Cohesion: mean cosine {formatNumber(c.mean_cosine_similarity)}, min {formatNumber(c.min_cosine_similarity)}
          </p>
          <button type="button" class="secondary small" aria-pressed={highlight === c.cluster_id} onClick={() => onHighlight(highlight === c.cluster_id ? null : c.cluster_id)}>
            {highlight === c.cluster_id ? 'Clear highlight' : 'Highlight on map'}
          </button>
        </li>
      ))}
    </ul>
  );
}
