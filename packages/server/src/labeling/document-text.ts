/**
 * What of a document the labeler reads. With `labeling_inputs.input_mappings` the named fields
 * (dot paths into metadata, then into feature payloads; literals as given; vectors skipped).
 * Without them, every string field of metadata and feature payloads, of which only the
 * text-like ones are kept once all sampled documents are seen (see `textLikeFields`).
 */
import type { DocumentRecord } from '../domain/records.ts';

export interface InputMappingSpec {
  input_key: string;
  source_type?: 'payload' | 'literal' | 'vector' | null;
  path?: string | null;
  override?: unknown;
}

/** One named piece of a document's text. */
export type TextField = readonly [key: string, value: string];

const MAX_DEPTH = 3;

function readPath(root: unknown, path: string): unknown {
  let value = root;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(asText).filter((v): v is string => v !== null);
    return parts.length === 0 ? null : parts.join(', ');
  }
  return JSON.stringify(value);
}

function valueAt(doc: DocumentRecord, path: string): unknown {
  if (path === 'document_id') return doc.documentId;
  const inMetadata = readPath(doc.metadata, path.startsWith('metadata.') ? path.slice('metadata.'.length) : path);
  if (inMetadata !== undefined) return inMetadata;
  for (const feature of doc.features) {
    const inPayload = readPath(feature.payload, path.startsWith('payload.') ? path.slice('payload.'.length) : path);
    if (inPayload !== undefined) return inPayload;
  }
  return undefined;
}

export function mappedFields(doc: DocumentRecord, mappings: InputMappingSpec[]): TextField[] {
  const out: TextField[] = [];
  for (const m of mappings) {
    const source = m.source_type ?? 'payload';
    if (source === 'vector') continue; // a vector says nothing a language model can read
    const text = source === 'literal' ? asText(m.override) : m.path ? asText(valueAt(doc, m.path)) : null;
    if (text !== null) out.push([m.input_key, text]);
  }
  return out;
}

/** Every string leaf of metadata and feature payloads, keyed by its dotted path. */
export function stringFields(doc: DocumentRecord): TextField[] {
  const out: TextField[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (typeof value === 'string') {
      if (value.trim() !== '') out.push([path, value]);
    } else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string') && value.length > 0) out.push([path, value.join(', ')]);
    } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`, depth + 1);
    }
  };
  walk(doc.metadata, '', 0);
  for (const feature of doc.features) walk(feature.payload, '', 0);
  return out;
}

const URL_LIKE = /^(https?|s3|gs|file|data):/i;

/**
 * Fields that hold prose rather than codes: most of their values have several words. Category
 * codes ('even', 'sku-123'), ids and URLs are not text and would only produce noise keywords.
 */
export function textLikeFields(docs: Iterable<TextField[]>): Set<string> {
  const stats = new Map<string, { values: number; wordy: number; urls: number }>();
  for (const fields of docs) {
    for (const [key, value] of fields) {
      const s = stats.get(key) ?? { values: 0, wordy: 0, urls: 0 };
      s.values++;
      if (/\S\s+\S/.test(value.trim())) s.wordy++;
      if (URL_LIKE.test(value.trim())) s.urls++;
      stats.set(key, s);
    }
  }
  const out = new Set<string>();
  for (const [key, s] of stats) if (s.wordy * 2 >= s.values && s.urls * 2 < s.values) out.add(key);
  return out;
}

/** The text keyword extraction reads: the kept fields' values, URL-valued inputs left out. */
export function keywordText(fields: TextField[], keep: Set<string> | null): string {
  return fields
    .filter(([key, value]) => (keep === null || keep.has(key)) && !URL_LIKE.test(value.trim()) && !/_url$/.test(key))
    .map(([, value]) => value)
    .join('\n');
}

/** One sample as the prompt shows it: `key: value` pairs (the bare value when there is one field), truncated. */
export function sampleText(fields: TextField[], keep: Set<string> | null, maxLength: number): string {
  const kept = fields.filter(([key]) => keep === null || keep.has(key));
  const text = (kept.length === 1 ? kept[0]![1] : kept.map(([k, v]) => `${k}: ${v}`).join(' | ')).replace(/\s+/g, ' ').trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
