/**
 * Create-cluster form. It checks what it can before sending (a collection chosen, parameters that
 * parse as a JSON object) with the same field locations the API uses, then lets the API judge the
 * rest: every 422 `detail[].loc` is mapped back to the field it names and shown beside it.
 */
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../hooks.ts';
import { href, navigate } from '../router.ts';
import type { Cluster, Collection, ListResponse, ValidationItem } from '../types.ts';

const METHODS = ['kmeans', 'dbscan', 'hdbscan', 'agglomerative', 'spectral', 'gaussian_mixture', 'mean_shift', 'optics'] as const;
const EXAMPLE_PARAMS: Record<string, string> = {
  kmeans: '{"n_clusters": 8}',
  dbscan: '{"eps": 0.5, "min_samples": 5}',
  hdbscan: '{"min_cluster_size": 5}',
  agglomerative: '{"n_clusters": 8, "linkage": "ward"}',
  spectral: '{"n_clusters": 8}',
  gaussian_mixture: '{"n_components": 8}',
  mean_shift: '{}',
  optics: '{"min_samples": 5}',
};

type Field = 'cluster_name' | 'description' | 'collection_ids' | 'feature_uri' | 'clustering_method' | 'algorithm_params' | 'sample_size' | 'form';

/** Which form field an API error location belongs to, and the part of the location below it. */
export function fieldOf(loc: (string | number)[]): { field: Field; rest: string } {
  const path = loc[0] === 'body' ? loc.slice(1) : loc;
  const join = (from: number) => path.slice(from).join('.');
  if (path[0] === 'cluster_name') return { field: 'cluster_name', rest: join(1) };
  if (path[0] === 'description') return { field: 'description', rest: join(1) };
  if (path[0] === 'collection_ids') return { field: 'collection_ids', rest: join(1) };
  if (path[0] === 'vector_config') {
    const key = String(path[1] ?? '');
    if (key === 'feature_uris' || key === 'feature_uri') return { field: 'feature_uri', rest: join(2) };
    if (key === 'clustering_method') return { field: 'clustering_method', rest: join(2) };
    if (key === 'algorithm_params' || key.endsWith('_parameters')) return { field: 'algorithm_params', rest: join(2) };
    if (key === 'sample_size') return { field: 'sample_size', rest: join(2) };
  }
  return { field: 'form', rest: path.join('.') };
}

export function CreateCluster({ namespace }: { namespace: string }) {
  const collections = useAsync((signal) => api<ListResponse<Collection>>('GET', '/v1/collections?page_size=100', { signal }), [namespace]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [featureUri, setFeatureUri] = useState('');
  const [method, setMethod] = useState<string>('kmeans');
  const [params, setParams] = useState(EXAMPLE_PARAMS.kmeans!);
  const [sampleSize, setSampleSize] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string[]>>>({});
  const [busy, setBusy] = useState(false);

  const vectorNames = useMemo(() => {
    const names = new Set<string>();
    for (const c of collections.data?.results ?? []) if (chosen.includes(c.collection_name)) for (const v of Object.keys(c.vector_dimensions)) names.add(v);
    return [...names];
  }, [collections.data, chosen]);

  const show = (items: ValidationItem[]) => {
    const grouped: Partial<Record<Field, string[]>> = {};
    for (const item of items) {
      const { field, rest } = fieldOf(item.loc);
      (grouped[field] ??= []).push(rest && field !== 'form' ? `${rest}: ${item.msg}` : field === 'form' && rest ? `${rest}: ${item.msg}` : item.msg);
    }
    setErrors(grouped);
    const firstField = (Object.keys(grouped) as Field[]).find((f) => f !== 'form');
    if (firstField) requestAnimationFrame(() => document.getElementById(`f-${firstField}`)?.focus());
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: ValidationItem[] = [];
    if (chosen.length === 0) local.push({ loc: ['body', 'collection_ids'], msg: 'Choose at least one collection to cluster', type: 'too_short' });
    let parsedParams: unknown = null;
    if (params.trim() !== '') {
      try {
        parsedParams = JSON.parse(params);
        if (parsedParams === null || typeof parsedParams !== 'object' || Array.isArray(parsedParams)) throw new Error('not an object');
      } catch {
        local.push({ loc: ['body', 'vector_config', 'algorithm_params'], msg: 'Give the parameters as a JSON object, e.g. {"n_clusters": 5}', type: 'dict_type' });
      }
    }
    let sample: number | null = null;
    if (sampleSize.trim() !== '') {
      sample = Number(sampleSize);
      if (!Number.isInteger(sample)) local.push({ loc: ['body', 'vector_config', 'sample_size'], msg: 'Input should be a valid integer', type: 'int_type' });
    }
    if (local.length) return show(local);

    const body = {
      collection_ids: chosen,
      ...(name.trim() ? { cluster_name: name.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      vector_config: {
        ...(featureUri.trim() ? { feature_uris: [featureUri.trim()] } : {}),
        clustering_method: method,
        ...(parsedParams ? { algorithm_params: parsedParams } : {}),
        ...(sample !== null ? { sample_size: sample } : {}),
      },
    };
    setBusy(true);
    setErrors({});
    try {
      const cluster = await api<Cluster>('POST', '/v1/clusters', { body });
      navigate({ name: 'cluster', clusterId: cluster.cluster_id });
    } catch (err) {
      if (err instanceof ApiError && err.detail) show(err.detail);
      else if (err instanceof ApiError && err.code === 'cluster_name_taken') setErrors({ cluster_name: [err.message] });
      else if (err instanceof ApiError && err.code === 'collection_not_found') setErrors({ collection_ids: [err.message] });
      else setErrors({ form: [(err as Error).message] });
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = (field: Field) =>
    errors[field]?.length ? (
      <ul id={`e-${field}`} class="field-error" role="alert" data-field-error={field}>
        {errors[field]!.map((m, i) => (
          <li key={i}>{m}</li>
        ))}
      </ul>
    ) : null;
  const described = (field: Field, hint?: string) => {
    const ids = [hint, errors[field]?.length ? `e-${field}` : undefined].filter(Boolean).join(' ');
    return { 'aria-describedby': ids || undefined, 'aria-invalid': errors[field]?.length ? ('true' as const) : undefined };
  };

  if (collections.loading && !collections.data) return <Loading what="collections" />;
  if (collections.error) return <ErrorState error={collections.error} what="collections" retry={collections.reload} />;
  const available = collections.data!.results;

  return (
    <section>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href={href({ name: 'clusters' })}>Clusters</a> / <span aria-current="page">New cluster</span>
      </nav>
      <h1 tabIndex={-1}>New cluster</h1>
      {available.length === 0 ? (
        <div class="state state-empty" role="status">
          <h2>No collections in {namespace}</h2>
          <p>
            A cluster groups the documents of one or more collections. Create a collection and import documents with vectors through the API first (see{' '}
            <a href="/docs">/docs</a>: POST /v1/collections, then POST /v1/collections/&#123;id&#125;/documents/import).
          </p>
        </div>
      ) : (
        <form class="panel form" onSubmit={submit} noValidate aria-describedby={errors.form ? 'e-form' : undefined}>
          {fieldErrors('form')}
          <div class="field">
            <label for="f-cluster_name">Name</label>
            <input id="f-cluster_name" name="cluster_name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} {...described('cluster_name', 'h-name')} />
            <p id="h-name" class="hint">
              Unique in the namespace; leave empty to have one generated.
            </p>
            {fieldErrors('cluster_name')}
          </div>
          <div class="field">
            <label for="f-description">Description</label>
            <textarea id="f-description" name="description" rows={2} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} {...described('description')} />
            {fieldErrors('description')}
          </div>
          <fieldset class="field" id="f-collection_ids" tabIndex={-1} {...described('collection_ids')}>
            <legend>Collections (required)</legend>
            {available.map((c) => (
              <label key={c.collection_id} class="check">
                <input
                  type="checkbox"
                  name="collection_ids"
                  value={c.collection_name}
                  checked={chosen.includes(c.collection_name)}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    setChosen((list) => (on ? [...list, c.collection_name] : list.filter((x) => x !== c.collection_name)));
                  }}
                />
                {c.collection_name} <span class="muted">({c.document_count.toLocaleString('en-US')} documents; vectors: {Object.keys(c.vector_dimensions).join(', ') || 'none'})</span>
              </label>
            ))}
            {fieldErrors('collection_ids')}
          </fieldset>
          <div class="field">
            <label for="f-feature_uri">Vector (feature URI)</label>
            <input id="f-feature_uri" name="feature_uri" list="vector-names" value={featureUri} onInput={(e) => setFeatureUri((e.currentTarget as HTMLInputElement).value)} {...described('feature_uri', 'h-feature')} />
            <datalist id="vector-names">
              {vectorNames.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
            <p id="h-feature" class="hint">
              A vector name of the chosen collections{vectorNames.length ? ` (${vectorNames.join(', ')})` : ''}, or a mixpeek:// feature URI.
            </p>
            {fieldErrors('feature_uri')}
          </div>
          <div class="field">
            <label for="f-clustering_method">Method</label>
            <select
              id="f-clustering_method"
              name="clustering_method"
              value={method}
              onChange={(e) => {
                const next = (e.currentTarget as HTMLSelectElement).value;
                if (params.trim() === '' || params === EXAMPLE_PARAMS[method]) setParams(EXAMPLE_PARAMS[next] ?? '{}');
                setMethod(next);
              }}
              {...described('clustering_method')}
            >
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            {fieldErrors('clustering_method')}
          </div>
          <div class="field">
            <label for="f-algorithm_params">Parameters (JSON)</label>
            <textarea
              id="f-algorithm_params"
              name="algorithm_params"
              rows={3}
              class="mono"
              value={params}
              onInput={(e) => setParams((e.currentTarget as HTMLTextAreaElement).value)}
              {...described('algorithm_params', 'h-params')}
            />
            <p id="h-params" class="hint">
              The method's parameters; unknown names and out-of-range values are refused by the API. See /docs for each method's schema.
            </p>
            {fieldErrors('algorithm_params')}
          </div>
          <div class="field">
            <label for="f-sample_size">Sample size</label>
            <input id="f-sample_size" name="sample_size" inputMode="numeric" value={sampleSize} onInput={(e) => setSampleSize((e.currentTarget as HTMLInputElement).value)} {...described('sample_size', 'h-sample')} />
            <p id="h-sample" class="hint">
              Fit on a random sample of this many documents and assign the rest; empty uses all.
            </p>
            {fieldErrors('sample_size')}
          </div>
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create cluster'}
            </button>
            <a href={href({ name: 'clusters' })} class="button secondary">
              Cancel
            </a>
          </div>
        </form>
      )}
    </section>
  );
}
