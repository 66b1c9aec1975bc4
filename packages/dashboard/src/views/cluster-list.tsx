import { api } from '../api.ts';
import { Empty, ErrorState, Loading, StatusBadge } from '../components/states.tsx';
import { formatDate } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { href } from '../router.ts';
import type { Cluster, ListResponse } from '../types.ts';

export function ClusterList({ namespace }: { namespace: string }) {
  const clusters = useAsync(
    (signal) => api<ListResponse<Cluster>>('POST', '/v1/clusters/list?page_size=100', { body: { sort: { field: 'created_at', direction: 'desc' } }, signal }),
    [namespace],
  );
  return (
    <section>
      <div class="page-head">
        <h1 tabIndex={-1}>Clusters in {namespace}</h1>
        <a class="button" href={href({ name: 'new-cluster' })}>
          New cluster
        </a>
      </div>
      {clusters.loading && !clusters.data ? (
        <Loading what="clusters" />
      ) : clusters.error ? (
        <ErrorState error={clusters.error} what="clusters" retry={clusters.reload} />
      ) : clusters.data!.results.length === 0 ? (
        <Empty title="No clusters in this namespace yet">
          <p>
            A cluster says which collection to group and how. <a href={href({ name: 'new-cluster' })}>Create one</a>, then run it. Collections and documents
            are added through the API (<a href="/docs">/docs</a>).
          </p>
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <caption class="sr-only">Clusters with their latest execution</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Method</th>
                <th scope="col">Collections</th>
                <th scope="col">Last execution</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Clusters found</th>
                <th scope="col" class="num">Documents</th>
              </tr>
            </thead>
            <tbody>
              {clusters.data!.results.map((c) => (
                <tr key={c.cluster_id}>
                  <th scope="row">
                    <a href={href({ name: 'cluster', clusterId: c.cluster_id })}>{c.cluster_name}</a>
                    <div class="muted mono small">{c.cluster_id}</div>
                  </th>
                  <td>{c.algorithm ?? c.cluster_type}</td>
                  <td>{c.input_collections.join(', ')}</td>
                  <td>
                    {c.last_run_id ? (
                      <a href={href({ name: 'execution', clusterId: c.cluster_id, runId: c.last_run_id })}>{formatDate(c.last_executed_at)}</a>
                    ) : (
                      <span class="muted">never run</span>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td class="num">{c.num_clusters ?? '—'}</td>
                  <td class="num">{c.num_documents_clustered?.toLocaleString('en-US') ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {clusters.data!.total_count > clusters.data!.results.length && (
            <p class="muted">
              Showing the newest {clusters.data!.results.length} of {clusters.data!.total_count} clusters.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
