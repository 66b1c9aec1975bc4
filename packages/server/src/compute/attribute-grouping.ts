/**
 * Attribute clustering: documents grouped by the values of payload fields instead of by vectors.
 *
 * Flat grouping makes one cluster per distinct combination of all attributes. Hierarchical
 * grouping makes one parent per value of the first attribute and, inside it, one child
 * (`cl_P_sub_C`) per value of the next attribute, and so on; every document is a member of the
 * deepest cluster it reaches. Siblings are numbered by size, largest first, ties by value (as
 * JSON text) with the missing-value group last.
 *
 * A document whose attribute holds a list is grouped by one element of it, chosen by
 * `aggregation_method`: 'first', 'last', or 'most_frequent' (the element most common for that
 * attribute across all grouped documents; ties go to the earlier element). A missing or null value
 * forms its own group, labelled "(missing)".
 */
import type { AttributeConfig } from '../domain/cluster-config.ts';

export interface AttributeCluster {
  cluster_id: string;
  parent_cluster_id: string | null;
  label: string;
  /** Attribute path → value shared by every member (ancestors' attributes included). */
  attribute_values: Record<string, unknown>;
  num_members: number;
}

export interface AttributeGrouping {
  clusters: AttributeCluster[];
  /** Per input document, in input order: the id of its (deepest) cluster. */
  assignments: string[];
}

const MISSING_LABEL = '(missing)';

function keyOf(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function labelOf(value: unknown): string {
  if (value === null || value === undefined) return MISSING_LABEL;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Reduces each document's raw value of one attribute to the single value it is grouped by. */
function resolveValues(raw: unknown[], method: AttributeConfig['aggregation_method']): unknown[] {
  let frequency: Map<string, number> | null = null;
  if (method === 'most_frequent') {
    frequency = new Map();
    for (const v of raw) {
      if (!Array.isArray(v)) continue;
      for (const item of v) frequency.set(keyOf(item), (frequency.get(keyOf(item)) ?? 0) + 1);
    }
  }
  return raw.map((v) => {
    if (!Array.isArray(v)) return v ?? null;
    if (v.length === 0) return null;
    if (method === 'first') return v[0];
    if (method === 'last') return v[v.length - 1];
    let best = v[0];
    for (const item of v) if (frequency!.get(keyOf(item))! > frequency!.get(keyOf(best))!) best = item;
    return best;
  });
}

interface Group {
  values: unknown[];
  rows: number[];
  /** Orders equal-sized groups by value, missing values last. */
  sortKey: string;
}

function groupRows(rows: number[], valuesOf: (row: number) => unknown[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const values = valuesOf(row);
    const key = values.map(keyOf).join('\u0000');
    let group = groups.get(key);
    if (!group) {
      const sortKey = values.map((v) => (v === null || v === undefined ? '\uffff' : JSON.stringify(v))).join('\u0000');
      groups.set(key, (group = { values, rows: [], sortKey }));
    }
    group.rows.push(row);
  }
  return [...groups.values()].sort((a, b) => b.rows.length - a.rows.length || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

/** `rawValues[a][i]` is document i's value of attribute a as stored (undefined when absent). */
export function groupByAttributes(rawValues: unknown[][], config: AttributeConfig): AttributeGrouping {
  const { attributes } = config;
  const n = rawValues[0]?.length ?? 0;
  const values = rawValues.map((raw) => resolveValues(raw, config.aggregation_method));
  const assignments = new Array<string>(n);
  const clusters: AttributeCluster[] = [];
  const all = Array.from({ length: n }, (_, i) => i);

  if (!config.hierarchical_grouping) {
    groupRows(all, (row) => values.map((v) => v[row])).forEach((group, c) => {
      const id = `cl_${c}`;
      clusters.push({
        cluster_id: id,
        parent_cluster_id: null,
        label: group.values.map(labelOf).join('_'),
        attribute_values: Object.fromEntries(attributes.map((a, i) => [a, group.values[i] ?? null])),
        num_members: group.rows.length,
      });
      for (const row of group.rows) assignments[row] = id;
    });
    return { clusters, assignments };
  }

  const descend = (rows: number[], level: number, parent: AttributeCluster | null): void => {
    groupRows(rows, (row) => [values[level]![row]]).forEach((group, c) => {
      const cluster: AttributeCluster = {
        cluster_id: parent ? `${parent.cluster_id}_sub_${c}` : `cl_${c}`,
        parent_cluster_id: parent?.cluster_id ?? null,
        label: labelOf(group.values[0]),
        attribute_values: { ...(parent?.attribute_values ?? {}), [attributes[level]!]: group.values[0] ?? null },
        num_members: group.rows.length,
      };
      clusters.push(cluster);
      if (level + 1 < attributes.length) descend(group.rows, level + 1, cluster);
      else for (const row of group.rows) assignments[row] = cluster.cluster_id;
    });
  };
  descend(all, 0, null);
  return { clusters, assignments };
}
