/** The labeling prompt (one per batch of clusters) and the reading of its answer. */
import type { LabelingOptions } from './options.ts';

export interface ClusterSamples {
  clusterId: string;
  size: number;
  /** c-TF-IDF keywords, shown as hints. */
  hints: string[];
  samples: string[];
}

export interface GeneratedLabel {
  label: string;
  summary: string | null;
  keywords: string[] | null;
}

export interface Prompt {
  system: string;
  user: string;
  schema: Record<string, unknown>;
}

const SYSTEM =
  'You name clusters of documents for people exploring a data set. Each cluster is described by sample documents and frequent terms. ' +
  'Answer with one JSON object and nothing else.';

export function itemSchema(options: LabelingOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    cluster_id: { type: 'string' },
    label: { type: 'string', description: 'Short name, 2 to 5 words' },
  };
  const required = ['cluster_id', 'label'];
  if (options.includeSummary) {
    properties.summary = { type: 'string', description: 'One sentence on what the cluster holds' };
    required.push('summary');
  }
  if (options.includeKeywords) {
    properties.keywords = { type: 'array', items: { type: 'string' }, description: '3 to 6 keywords' };
    required.push('keywords');
  }
  const shape = options.responseShape;
  if (shape !== null && typeof shape === 'object') {
    const extra = (shape.properties ?? {}) as Record<string, unknown>;
    Object.assign(properties, extra);
    for (const r of (shape.required as string[] | undefined) ?? []) if (!required.includes(r)) required.push(r);
  }
  return { type: 'object', properties, required };
}

export function answerSchema(options: LabelingOptions): Record<string, unknown> {
  return { type: 'object', properties: { clusters: { type: 'array', items: itemSchema(options) } }, required: ['clusters'] };
}

export function buildPrompt(clusters: ClusterSamples[], takenLabels: string[], options: LabelingOptions): Prompt {
  const wanted = ['a short label (2 to 5 words)'];
  if (options.includeSummary) wanted.push('a one-sentence summary');
  if (options.includeKeywords) wanted.push('3 to 6 keywords');
  const lines: string[] = [];
  if (options.customPrompt) {
    lines.push(options.customPrompt.trim());
  } else {
    lines.push(
      `There are ${clusters.length} clusters below. Give each one ${wanted.join(', ')}.`,
      'Each label must tell its cluster apart from the others: name what is specific to it, not what all clusters share. Never give two clusters the same label.',
    );
    if (takenLabels.length > 0) lines.push(`These labels already belong to other clusters; do not reuse them: ${takenLabels.map((l) => JSON.stringify(l)).join(', ')}.`);
  }
  if (typeof options.responseShape === 'string' && options.responseShape.trim() !== '') {
    lines.push(`For each cluster also return: ${options.responseShape.trim()}`);
  }
  const example: Record<string, unknown> = { cluster_id: clusters[0]?.clusterId ?? 'cl_0', label: '...' };
  if (options.includeSummary) example.summary = '...';
  if (options.includeKeywords) example.keywords = ['...'];
  lines.push(`Answer in JSON: {"clusters": [${JSON.stringify(example)}, ...]} with one entry per cluster_id.`);
  if (options.responseShape !== null && typeof options.responseShape === 'object') {
    lines.push(`Each entry follows this JSON schema: ${JSON.stringify(itemSchema(options))}`);
  }
  lines.push('');
  for (const c of clusters) {
    lines.push(`## Cluster ${c.clusterId} (${c.size} documents${c.hints.length > 0 ? `; frequent terms: ${c.hints.join(', ')}` : ''})`);
    for (const s of c.samples) lines.push(`- ${s}`);
    lines.push('');
  }
  return { system: SYSTEM, user: lines.join('\n'), schema: answerSchema(options) };
}

function firstString(item: Record<string, unknown>, keys: string[]): string | null {
  for (const k of keys) {
    const v = item[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

function stringList(value: unknown): string[] | null {
  if (Array.isArray(value)) {
    const list = value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
    return list.length > 0 ? list : null;
  }
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  return null;
}

/**
 * Accepts `{clusters: [...]}`, a bare array, or an object keyed by cluster id. A custom
 * response_shape may call the label `category`, `name`, `title` or `theme`.
 */
export function readAnswer(value: unknown, expected: Set<string>): Map<string, GeneratedLabel> {
  let items: Array<Record<string, unknown>> = [];
  if (Array.isArray(value)) items = value as Array<Record<string, unknown>>;
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const list = o.clusters ?? o.labels ?? o.results;
    if (Array.isArray(list)) items = list as Array<Record<string, unknown>>;
    else items = Object.entries(o).filter(([k, v]) => expected.has(k) && v !== null && typeof v === 'object').map(([k, v]) => ({ cluster_id: k, ...(v as object) }));
  }
  const out = new Map<string, GeneratedLabel>();
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const id = typeof item.cluster_id === 'string' ? item.cluster_id.trim() : null;
    if (id === null || !expected.has(id)) continue;
    const label = firstString(item, ['label', 'category', 'name', 'title', 'theme']);
    if (label === null) continue;
    out.set(id, {
      label: label.slice(0, 200),
      summary: firstString(item, ['summary', 'description']),
      keywords: stringList(item.keywords ?? item.key_terms ?? item.terms),
    });
  }
  return out;
}
