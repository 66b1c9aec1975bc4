/** The shell: sign-in gate, header with the namespace switcher, and the routed views. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, session } from './api.ts';
import { Empty, ErrorState, Loading } from './components/states.tsx';
import { useAsync } from './hooks.ts';
import { href, useRoute } from './router.ts';
import type { ListResponse, Namespace } from './types.ts';
import { ClusterDetail } from './views/cluster-detail.tsx';
import { ClusterList } from './views/cluster-list.tsx';
import { CreateCluster } from './views/create-cluster.tsx';
import { ExecutionDetail } from './views/execution-detail.tsx';
import { SignIn } from './views/sign-in.tsx';

export function App() {
  const [key, setKey] = useState(session.key);
  if (!key) return <SignIn onSignedIn={(k) => setKey(k)} />;
  return (
    <SignedIn
      onSignOut={() => {
        session.key = null;
        setKey(null);
      }}
    />
  );
}

function SignedIn({ onSignOut }: { onSignOut: () => void }) {
  const namespaces = useAsync((signal) => api<ListResponse<Namespace>>('GET', '/v1/namespaces?page_size=100', { signal, namespace: null }), []);
  const [namespace, setNamespace] = useState(session.namespace);
  const list = namespaces.data?.results ?? [];

  // Keep the chosen namespace valid: fall back to the first one when it disappeared.
  useEffect(() => {
    if (!namespaces.data) return;
    const known = list.some((n) => n.namespace_name === namespace || n.namespace_id === namespace);
    if (!known) {
      const first = list[0]?.namespace_name ?? null;
      session.namespace = first;
      setNamespace(first);
    }
  }, [namespaces.data]);

  useEffect(() => {
    if (namespaces.error instanceof ApiError && namespaces.error.status === 401) onSignOut();
  }, [namespaces.error]);

  const choose = (value: string) => {
    session.namespace = value;
    setNamespace(value);
    location.hash = href({ name: 'clusters' });
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href({ name: 'clusters' })}>
          <span class="brand-dot" aria-hidden="true" />
          Centroid
        </a>
        <nav aria-label="Main">
          <a href={href({ name: 'clusters' })}>Clusters</a>
          <a href={href({ name: 'new-cluster' })}>New cluster</a>
          <a href="/docs">API docs</a>
        </nav>
        <div class="top-right">
          {list.length > 0 && (
            <label class="ns-switch">
              <span>Namespace</span>
              <select value={namespace ?? ''} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}>
                {list.map((n) => (
                  <option key={n.namespace_id} value={n.namespace_name}>
                    {n.namespace_name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {namespaces.loading && !namespaces.data ? (
          <Loading what="namespaces" />
        ) : namespaces.error && !namespaces.data ? (
          <ErrorState error={namespaces.error} what="namespaces" retry={namespaces.reload} />
        ) : list.length === 0 || !namespace ? (
          <NoNamespace onCreated={(name) => { namespaces.reload(); choose(name); }} />
        ) : (
          <Routed key={namespace} namespace={namespace} />
        )}
      </main>
    </>
  );
}

function Routed({ namespace }: { namespace: string }) {
  const route = useRoute();
  switch (route.name) {
    case 'clusters':
      return <ClusterList namespace={namespace} />;
    case 'new-cluster':
      return <CreateCluster namespace={namespace} />;
    case 'cluster':
      return <ClusterDetail key={route.clusterId} clusterId={route.clusterId} />;
    case 'execution':
      return <ExecutionDetail key={route.runId} clusterId={route.clusterId} runId={route.runId} />;
    case 'not-found':
      return (
        <Empty title="Page not found">
          <p>
            Nothing lives at <code>{route.path}</code>. Go to the <a href={href({ name: 'clusters' })}>cluster list</a>.
          </p>
        </Empty>
      );
  }
}

function NoNamespace({ onCreated }: { onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', '/v1/namespaces', { body: { namespace_name: name }, namespace: null });
      onCreated(name);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="panel">
      <h1 tabIndex={-1}>No namespace yet</h1>
      <p>Everything in Centroid lives in a namespace. Create one here, then add a collection and documents through the API (see <a href="/docs">/docs</a>).</p>
      <form onSubmit={submit} class="inline-form">
        <label>
          <span>Namespace name</span>
          <input value={name} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} aria-describedby={error ? 'ns-error' : undefined} />
        </label>
        <button type="submit">Create namespace</button>
      </form>
      {error && (
        <p id="ns-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
