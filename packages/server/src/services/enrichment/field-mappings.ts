/**
 * Which execution results are written onto source documents, and under which metadata keys.
 * Validated once when a cluster is created; resolved to defaults when none are given.
 */
import type { ValidationIssue } from '../../domain/errors.ts';

/**
 * What a mapping may copy. The reference's eight fields, plus two Centroid extensions:
 * `run_id` (which execution wrote the values, so stale assignments can be told apart) and
 * `top_level_cluster_id` (the cl_N a sub-cluster cl_N_sub_M… belongs to).
 */
export const ENRICHMENT_SOURCE_FIELDS = [
  'cluster_id', 'cluster_label', 'distance_to_centroid', 'member_count', 'keywords', 'x', 'y', 'z', 'run_id', 'top_level_cluster_id',
] as const;
export type EnrichmentSourceField = (typeof ENRICHMENT_SOURCE_FIELDS)[number];

export interface FieldMapping {
  source_field: EnrichmentSourceField;
  /** Metadata key, or a dotted path into metadata (`clustering.segment`). */
  target_field: string;
}

/** Used when a cluster enriches its sources without saying how: the three fields the reference names for write-back. */
export const DEFAULT_FIELD_MAPPINGS: readonly FieldMapping[] = Object.freeze([
  { source_field: 'cluster_id', target_field: 'cluster_id' },
  { source_field: 'cluster_label', target_field: 'cluster_label' },
  { source_field: 'distance_to_centroid', target_field: 'distance_to_centroid' },
]);

const MAX_MAPPINGS = 50;

/** The metadata path a target names: `metadata.` is optional, as in document filters. */
export function targetPath(target: string): string[] {
  return (target.startsWith('metadata.') ? target.slice('metadata.'.length) : target).split('.');
}

/**
 * Checks `source_enrichment_config.field_mappings` (already shape-checked by the request schema).
 * Returns the mappings to use: the given ones, or the defaults when none were given.
 */
export function checkFieldMappings(config: unknown, loc: (string | number)[], issues: ValidationIssue[]): FieldMapping[] {
  const raw = (config as { field_mappings?: unknown } | null | undefined)?.field_mappings;
  if (raw === undefined || raw === null) return DEFAULT_FIELD_MAPPINGS.map((m) => ({ ...m }));
  const at = [...loc, 'field_mappings'];
  if (!Array.isArray(raw)) {
    issues.push({ loc: at, msg: 'Input should be a list of {"source_field", "target_field"} objects', type: 'list_type' });
    return [];
  }
  if (raw.length === 0) {
    issues.push({ loc: at, msg: 'List should have at least 1 item; omit field_mappings to write cluster_id, cluster_label and distance_to_centroid', type: 'too_short' });
  }
  if (raw.length > MAX_MAPPINGS) {
    issues.push({ loc: at, msg: `At most ${MAX_MAPPINGS} mappings are allowed (got ${raw.length})`, type: 'too_long' });
  }
  const mappings: FieldMapping[] = [];
  const seenPaths = new Map<string, number>();
  raw.forEach((m: { source_field?: unknown; target_field?: unknown }, i) => {
    const source = m?.source_field;
    const target = m?.target_field;
    let ok = true;
    if (typeof source !== 'string' || !(ENRICHMENT_SOURCE_FIELDS as readonly string[]).includes(source)) {
      issues.push({ loc: [...at, i, 'source_field'], msg: `Unknown source_field '${String(source)}'; use one of: ${ENRICHMENT_SOURCE_FIELDS.join(', ')}`, type: 'enum' });
      ok = false;
    }
    const path = typeof target === 'string' ? targetPath(target) : [];
    if (typeof target !== 'string' || path.some((p) => p.trim() === '')) {
      issues.push({ loc: [...at, i, 'target_field'], msg: `'${String(target)}' is not a metadata key: use a name such as 'segment' or a dot path such as 'clustering.segment'`, type: 'value_error' });
      ok = false;
    } else {
      const key = path.join('.');
      for (const [other, j] of seenPaths) {
        if (other === key) {
          issues.push({ loc: [...at, i, 'target_field'], msg: `target_field '${target}' is already written by mapping ${j}; each target may be written once`, type: 'value_error' });
          ok = false;
        } else if (other.startsWith(key + '.') || key.startsWith(other + '.')) {
          issues.push({ loc: [...at, i, 'target_field'], msg: `target_field '${target}' overlaps mapping ${j} ('${other}'): one would overwrite the other; pick paths that do not nest`, type: 'value_error' });
          ok = false;
        }
      }
      seenPaths.set(key, i);
    }
    if (ok) mappings.push({ source_field: source as EnrichmentSourceField, target_field: target as string });
  });
  return mappings;
}
