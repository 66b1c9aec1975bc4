/**
 * Names the clusters of a finished clustering. Every cluster first gets keywords by class-based
 * TF-IDF over its documents' text and a label built from them (no LLM needed). When
 * `llm_labeling.enabled`, representative samples go to the configured provider in batched
 * prompts that ask for labels telling the clusters apart; answers are cached by the content of
 * the samples. A provider failure never fails the run: the affected clusters keep their keyword
 * labels and the failure is reported as an llm_labeling_errors entry.
 */
import { createHash } from 'node:crypto';
import type { CentroidSummary, DocumentRecord, MemberRow } from '../domain/records.ts';
import type { LlmClients } from '../llm/providers.ts';
import type { CachedLabel, LabelCacheStore, Store } from '../storage/store.ts';
import { ClassTermCounts, classTfIdf, labelFromKeywords } from './class-tf-idf.ts';
import { distinctLabels } from './distinct-labels.ts';
import { keywordText, mappedFields, sampleText, stringFields, textLikeFields, type TextField } from './document-text.ts';
import { labelingOptions, resolveModel, type LabelingOptions } from './options.ts';
import { buildPrompt, readAnswer, type ClusterSamples, type GeneratedLabel } from './prompt.ts';
import { byDistance, evenSample, representativeCandidates, type MemberRef } from './samples.ts';

/** Documents keyword extraction reads per cluster at most (spread over the distance range). */
export const KEYWORD_DOCUMENTS_PER_CLUSTER = 2000;
const KEYWORDS_PER_CLUSTER = 10;
/** A prompt carries at most this many clusters and about this many characters of samples. */
const BATCH_CLUSTERS = 15;
const BATCH_CHARS = 12_000;

/** Where the labeler reads document text from. */
export interface DocumentSource {
  /** Yields (in batches, any order) the documents among `ids` that still exist. */
  read(ids: ReadonlySet<string>): AsyncIterable<DocumentRecord[]>;
}

export function storeDocumentSource(store: Store, collectionIds: string[], batchSize = 2000): DocumentSource {
  return {
    async *read(ids) {
      // Each id is read from the first collection that has it, as the clustering loaded it.
      let missing = [...ids];
      for (const collectionId of collectionIds) {
        if (missing.length === 0) return;
        const found = new Set<string>();
        for await (const batch of store.documents.getMany(collectionId, missing, batchSize)) {
          for (const d of batch) found.add(d.documentId);
          yield batch;
        }
        missing = missing.filter((id) => !found.has(id));
      }
    },
  };
}

export interface LabelRequest {
  /** The cluster's `llm_labeling` configuration (null when absent). */
  llmLabeling: Record<string, unknown> | null;
  /** Filled in place: label, summary, keywords. */
  centroids: CentroidSummary[];
  members: MemberRow[];
  documents: DocumentSource;
  /** Attribute clusterings: keep the value labels, add keywords only. */
  keepLabels?: boolean;
  signal?: AbortSignal;
}

export interface LabelerOptions {
  now?: () => number;
  keywordDocumentsPerCluster?: number;
}

interface LabelError {
  error: string;
  clusters: string[];
}

function clusterNumber(clusterId: string): string {
  return clusterId.replace(/^cl_/, '').replace(/_sub_/g, '.');
}

export class ClusterLabeler {
  private readonly now: () => number;
  private readonly keywordCap: number;

  constructor(
    private readonly clients: LlmClients,
    private readonly cache: LabelCacheStore | null,
    options: LabelerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.keywordCap = options.keywordDocumentsPerCluster ?? KEYWORD_DOCUMENTS_PER_CLUSTER;
  }

  /**
   * Labels the centroids in place; returns llm_labeling_errors (null when there were none).
   * Never throws except on cancel: naming clusters is not worth failing a finished clustering.
   */
  async label(request: LabelRequest): Promise<string[] | null> {
    try {
      return await this.labelOrThrow(request);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const clusters = request.centroids.filter((c) => c.cluster_id !== 'cl_-1').map((c) => c.cluster_id);
      return [JSON.stringify({ error: `Labeling failed: ${error instanceof Error ? error.message : String(error)}`, clusters })];
    }
  }

  private async labelOrThrow(request: LabelRequest): Promise<string[] | null> {
    const options = labelingOptions(request.llmLabeling);
    const targets = request.centroids.filter((c) => c.cluster_id !== 'cl_-1' && c.num_members > 0);
    if (targets.length === 0) return null;
    const useLlm = options.enabled && request.keepLabels !== true;

    const groups = memberGroups(targets, request.members);
    const sorted = groups.map(byDistance);
    const keywordIds = sorted.map((s) => evenSample(s, this.keywordCap));
    const sampleIds = useLlm ? sorted.map((s) => representativeCandidates(s, options.maxSamplesPerCluster)) : null;
    const wanted = new Set<string>();
    for (const ids of keywordIds) for (const id of ids) wanted.add(id);
    if (sampleIds) for (const ids of sampleIds) for (const id of ids) wanted.add(id);

    const fields = new Map<string, TextField[]>();
    for await (const batch of request.documents.read(wanted)) {
      if (request.signal?.aborted) throw request.signal.reason;
      for (const doc of batch) {
        const f = options.inputMappings ? mappedFields(doc, options.inputMappings) : stringFields(doc);
        if (f.length > 0) fields.set(doc.documentId, f);
      }
    }
    const keep = options.inputMappings ? null : textLikeFields(fields.values());

    const counts = new ClassTermCounts(targets.length);
    keywordIds.forEach((ids, i) => {
      for (const id of ids) {
        const f = fields.get(id);
        if (f) counts.addDocument(i, keywordText(f, keep));
      }
    });
    // Siblings are ranked against each other: top-level clusters against all top-level clusters,
    // sub-clusters against the other children of their parent, so each label says what sets it apart at its level.
    const keywords: string[][] = targets.map(() => []);
    const levels = new Map<string, number[]>();
    targets.forEach((c, i) => {
      const parent = c.parent_cluster_id ?? '';
      levels.set(parent, [...(levels.get(parent) ?? []), i]);
    });
    for (const indices of levels.values()) {
      const ranked = classTfIdf(indices.map((i) => counts.counts[i]!), KEYWORDS_PER_CLUSTER, indices.map((i) => counts.documents[i]!));
      indices.forEach((i, k) => (keywords[i] = ranked[k]!.map((t) => t.term)));
    }

    targets.forEach((c, i) => {
      if (keywords[i]!.length > 0) c.keywords = keywords[i]!;
      if (request.keepLabels) return;
      // No text at all: a numbered name only when labels were asked for; otherwise none, as before.
      c.label = labelFromKeywords(keywords[i]!) ?? (options.enabled ? `Cluster ${clusterNumber(c.cluster_id)}` : null);
    });

    const errors: LabelError[] = [];
    if (useLlm) await this.labelWithLlm(targets, sampleIds!, fields, keep, keywords, options, errors, request.signal);

    if (!request.keepLabels) {
      const labeled = targets.filter((c) => c.label !== null).map((c) => ({ clusterId: c.cluster_id, label: c.label!, keywords: c.keywords ?? [] }));
      const renamed = distinctLabels(labeled, options.useEmbeddingDedup, options.embeddingSimilarityThreshold);
      for (const c of targets) if (renamed.has(c.cluster_id)) c.label = renamed.get(c.cluster_id)!;
    }
    return errors.length === 0 ? null : errors.map((e) => JSON.stringify({ error: e.error, clusters: e.clusters }));
  }

  private async labelWithLlm(
    targets: CentroidSummary[],
    sampleIds: string[][],
    fields: Map<string, TextField[]>,
    keep: Set<string> | null,
    keywords: string[][],
    options: LabelingOptions,
    errors: LabelError[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const report = (error: string, clusters: string[]) => {
      const same = errors.find((e) => e.error === error);
      if (same) same.clusters.push(...clusters);
      else errors.push({ error, clusters: [...clusters] });
    };
    const resolved = resolveModel(options, this.clients);
    if ('error' in resolved) {
      report(resolved.error, targets.map((c) => c.cluster_id));
      return;
    }
    const client = this.clients[resolved.provider]!;

    const pending: Array<{ centroid: CentroidSummary; samples: ClusterSamples; key: string }> = [];
    const empty: string[] = [];
    targets.forEach((c, i) => {
      const texts: string[] = [];
      const seen = new Set<string>();
      for (const id of sampleIds[i]!) {
        const f = fields.get(id);
        if (!f) continue;
        const text = sampleText(f, keep, options.sampleTextMaxLength);
        if (text === '' || seen.has(text.toLowerCase())) continue; // duplicates add cost, not information
        seen.add(text.toLowerCase());
        texts.push(text);
        if (texts.length === options.maxSamplesPerCluster) break;
      }
      if (texts.length === 0) {
        empty.push(c.cluster_id);
        return;
      }
      const key = cacheKey(resolved.provider, resolved.model, options, texts);
      pending.push({ centroid: c, samples: { clusterId: c.cluster_id, size: c.num_members, hints: keywords[i]!.slice(0, 6), samples: texts }, key });
    });
    if (empty.length > 0) report('No representative documents with text to label', empty);

    const now = this.now();
    const caching = this.cache !== null && options.cacheTtlSeconds > 0;
    const cached = caching ? await this.cache!.getMany(pending.map((p) => p.key), now) : new Map<string, CachedLabel>();
    const apply = (centroid: CentroidSummary, generated: GeneratedLabel) => {
      centroid.label = generated.label;
      centroid.summary = options.includeSummary ? generated.summary : null;
      if (options.includeKeywords && generated.keywords) centroid.keywords = generated.keywords;
    };
    const misses = pending.filter((p) => {
      const hit = cached.get(p.key);
      if (hit) apply(p.centroid, hit);
      return !hit;
    });
    if (misses.length === 0) return;

    const taken = pending.filter((p) => cached.has(p.key)).map((p) => p.centroid.label!);
    const batches: Array<typeof misses> = [];
    let current: typeof misses = [];
    let chars = 0;
    for (const p of misses) {
      const size = p.samples.samples.reduce((s, t) => s + t.length, 0);
      if (current.length > 0 && (current.length === BATCH_CLUSTERS || chars + size > BATCH_CHARS)) {
        batches.push(current);
        current = [];
        chars = 0;
      }
      current.push(p);
      chars += size;
    }
    batches.push(current);

    const fresh: Array<{ key: string; value: CachedLabel; expiresAt: number }> = [];
    await Promise.all(
      batches.map(async (batch) => {
        const ids = batch.map((p) => p.centroid.cluster_id);
        const prompt = buildPrompt(batch.map((p) => p.samples), taken, options);
        try {
          const answer = await client.completeJson({ model: resolved.model, system: prompt.system, user: prompt.user, schema: prompt.schema, parameters: options.parameters, signal });
          const labels = readAnswer(answer.value, new Set(ids));
          const missing: string[] = [];
          for (const p of batch) {
            const generated = labels.get(p.centroid.cluster_id);
            if (!generated) {
              missing.push(p.centroid.cluster_id);
              continue;
            }
            apply(p.centroid, generated);
            fresh.push({ key: p.key, value: generated, expiresAt: now + options.cacheTtlSeconds * 1000 });
          }
          if (missing.length > 0) report(`${resolved.provider} model ${resolved.model} returned no label for these clusters`, missing);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          report(error instanceof Error ? error.message : String(error), ids);
        }
      }),
    );
    if (caching && fresh.length > 0) await this.cache!.putMany(fresh, this.now());
  }
}

/**
 * Each cluster's members. Hierarchies (sub-clusters, hierarchical attribute grouping) assign
 * documents to leaves only, so a parent's members are gathered from its descendants.
 */
function memberGroups(targets: CentroidSummary[], members: MemberRow[]): MemberRef[][] {
  const own = new Map<string, MemberRef[]>();
  for (const m of members) {
    const list = own.get(m.clusterId);
    const ref = { documentId: m.documentId, distance: m.distanceToCentroid };
    if (list) list.push(ref);
    else own.set(m.clusterId, [ref]);
  }
  const children = new Map<string, string[]>();
  for (const c of targets) if (c.parent_cluster_id) children.set(c.parent_cluster_id, [...(children.get(c.parent_cluster_id) ?? []), c.cluster_id]);
  return targets.map((c) => {
    const out: MemberRef[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      for (const r of own.get(id) ?? []) out.push(r);
      for (const child of children.get(id) ?? []) visit(child);
    };
    visit(c.cluster_id);
    return out;
  });
}

/** What makes two labeling requests interchangeable: provider, model, prompt settings and the samples themselves. */
export function cacheKey(provider: string, model: string, options: LabelingOptions, samples: string[]): string {
  const material = JSON.stringify({
    v: 1,
    provider,
    model,
    includeSummary: options.includeSummary,
    includeKeywords: options.includeKeywords,
    customPrompt: options.customPrompt,
    responseShape: options.responseShape,
    parameters: options.parameters,
    samples,
  });
  return createHash('sha256').update(material).digest('hex');
}
