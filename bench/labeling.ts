/**
 * `npm run bench -- --only=labeling`: cluster naming at scale, on generated text (fixed seeds).
 *  - keyword extraction (c-TF-IDF) + fallback labels for BENCH_LABEL_DOCS documents (default 100,000)
 *    in BENCH_LABEL_CLUSTERS clusters (default 20): with the default per-cluster document cap and
 *    with every document read;
 *  - LLM labeling of the same clusters against a loopback OpenAI-compatible fake (no network, no
 *    model: it measures Centroid's side: sampling, prompts, HTTP, parsing, cache), then again with
 *    the label cache warm.
 * Documents are served from memory, so the store's scan time is not included.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const DOCS = Number(process.env.BENCH_LABEL_DOCS ?? 100_000);
const CLUSTERS = Number(process.env.BENCH_LABEL_CLUSTERS ?? 20);

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ne', 'tu', 'so', 'vi', 'pe', 'do', 'ga', 'ri', 'ze', 'mo', 'lu', 'ba'];
const FILLER = ['the', 'and', 'with', 'for', 'this', 'very', 'good', 'great', 'today', 'really', 'about', 'new', 'people', 'time', 'work', 'thing'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function corpus() {
  const rand = rng(42);
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 2) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  const topics = Array.from({ length: CLUSTERS }, () => Array.from({ length: 12 }, word));
  const docs = [];
  const members = [];
  for (let i = 0; i < DOCS; i++) {
    const t = i % CLUSTERS;
    const words: string[] = [];
    const n = 12 + Math.floor(rand() * 9);
    for (let k = 0; k < n; k++) words.push(rand() < 0.45 ? topics[t]![Math.floor(rand() * 12)]! : FILLER[Math.floor(rand() * FILLER.length)]!);
    const id = `d${i}`;
    docs.push({ documentId: id, collectionId: 'col_bench', namespaceId: 'ns_bench', metadata: { text: words.join(' '), sku: `sku-${i}` }, features: [], createdAt: 0, updatedAt: 0 });
    members.push({ documentId: id, clusterId: `cl_${t}`, distanceToCentroid: rand() });
  }
  return { docs, members };
}

/** An OpenAI-compatible server on loopback answering every prompt with one label per cluster. */
async function fakeOpenAi(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const prompt: string = body.messages[1].content;
      const clusters = [...prompt.matchAll(/^## Cluster (\S+) \(\d+ documents(?:; frequent terms: ([^)]*))?\)/gm)].map((m) => ({
        cluster_id: m[1],
        label: `Topic ${m[2]?.split(', ')[0] ?? m[1]}`,
        summary: 'Generated.',
        keywords: m[2]?.split(', ').slice(0, 3) ?? [],
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify({ clusters }) }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function runLabelingSection(): Promise<void> {
  const { ClusterLabeler, KEYWORD_DOCUMENTS_PER_CLUSTER } = await import('../packages/server/src/labeling/labeler.ts');
  const { createLlmClients } = await import('../packages/server/src/llm/providers.ts');
  type Cached = import('../packages/server/src/storage/store.ts').CachedLabel;
  const { docs, members } = corpus();
  const byId = new Map(docs.map((d) => [d.documentId, d]));
  const source = {
    async *read(ids: ReadonlySet<string>) {
      const batch = [];
      for (const id of ids) {
        const d = byId.get(id);
        if (d) batch.push(d);
        if (batch.length === 2000) yield batch.splice(0);
      }
      if (batch.length > 0) yield batch;
    },
  };
  const centroids = () =>
    Array.from({ length: CLUSTERS }, (_, c) => ({ cluster_id: `cl_${c}`, num_members: Math.ceil((DOCS - c) / CLUSTERS), label: null as string | null, summary: null, keywords: null as string[] | null, mean_cosine_similarity: null, min_cosine_similarity: null }));
  const results: Array<[string, string]> = [];
  const time = async (what: string, work: () => Promise<string>) => {
    const t0 = performance.now();
    const note = await work();
    results.push([what, `${((performance.now() - t0) / 1000).toFixed(2)} s${note ? `  ${note}` : ''}`]);
  };

  let sample = '';
  await time(`keywords + fallback labels, ${DOCS} docs, ${CLUSTERS} clusters (cap ${KEYWORD_DOCUMENTS_PER_CLUSTER}/cluster)`, async () => {
    const cs = centroids();
    await new ClusterLabeler({}, null).label({ llmLabeling: null, centroids: cs, members, documents: source });
    sample = `cl_0 → "${cs[0]!.label}"`;
    return `${Math.min(DOCS, CLUSTERS * KEYWORD_DOCUMENTS_PER_CLUSTER)} docs read`;
  });
  await time(`keywords + fallback labels, ${DOCS} docs, every document read`, async () => {
    await new ClusterLabeler({}, null, { keywordDocumentsPerCluster: Number.MAX_SAFE_INTEGER }).label({ llmLabeling: null, centroids: centroids(), members, documents: source });
    return `${DOCS} docs read`;
  });

  const fake = await fakeOpenAi();
  try {
    const rows = new Map<string, Cached>();
    const cache = {
      async getMany(keys: string[]) {
        return new Map(keys.filter((k) => rows.has(k)).map((k) => [k, rows.get(k)!]));
      },
      async putMany(entries: Array<{ key: string; value: Cached }>) {
        for (const e of entries) rows.set(e.key, e.value);
      },
    };
    const clients = createLlmClients({ openaiApiKey: 'bench', openaiBaseUrl: fake.url, anthropicApiKey: null, anthropicBaseUrl: null, geminiApiKey: null, geminiBaseUrl: null, llmTimeoutMs: 30_000, llmMaxRetries: 0, llmRetryBaseMs: 100, llmConcurrency: 4 });
    const labeler = new ClusterLabeler(clients, cache);
    const config = { enabled: true, provider: 'openai', max_samples_per_cluster: 10, sample_text_max_length: 200 };
    for (const pass of ['cold cache', 'warm cache']) {
      await time(`keywords + LLM labeling (loopback fake), ${CLUSTERS} clusters, ${pass}`, async () => {
        const before = fake.calls();
        const cs = centroids();
        const errors = await labeler.label({ llmLabeling: config, centroids: cs, members, documents: source });
        if (errors) throw new Error(`labeling errors: ${errors.join('; ')}`);
        return `${fake.calls() - before} LLM calls`;
      });
    }
  } finally {
    await fake.close();
  }

  console.log(`\nCentroid labeling benchmark (node ${process.version}, ${new Date().toISOString()}); e.g. ${sample}\n`);
  const width = Math.max(...results.map(([k]) => k.length));
  for (const [k, v] of results) console.log(`${k.padEnd(width)}  ${v}`);
}
