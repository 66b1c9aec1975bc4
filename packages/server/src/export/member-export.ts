/**
 * Rows of a member export (CSV or Parquet), read from the store one page at a time so a
 * million-member run never becomes one array: at most one page of rows is in memory.
 */
import type { CentroidSummary, MemberRow } from '../domain/records.ts';

export type Dimensions = 2 | 3;

export interface ExportRow {
  document_id: string;
  cluster_id: string;
  cluster_label: string | null;
  distance_to_centroid: number | null;
  x: number | null;
  y: number | null;
  /** 3-D exports only. */
  z?: number | null;
}

export type MemberPageSource = (afterIndex: number, limit: number) => Promise<Array<MemberRow & { memberIndex: number }>>;

/** Rows per store page, and so per Parquet row group. */
export const EXPORT_PAGE_ROWS = 65_536;

export function columnsOf(dimensions: Dimensions): (keyof ExportRow)[] {
  const base: (keyof ExportRow)[] = ['document_id', 'cluster_id', 'cluster_label', 'distance_to_centroid', 'x', 'y'];
  return dimensions === 3 ? [...base, 'z'] : base;
}

/** The member's coordinates in the requested map: x, y of the 2-D projection, or x3, y3, z3 of the 3-D one. */
export function coordinatesOf(m: MemberRow, dimensions: Dimensions): { x: number | null; y: number | null; z?: number | null } {
  if (dimensions === 2) return { x: m.x ?? null, y: m.y ?? null };
  return { x: m.x3 ?? null, y: m.y3 ?? null, z: m.z3 ?? null };
}

/** Pages of export rows in member order; labels come from the run's centroids. */
export async function* exportRowPages(source: MemberPageSource, centroids: CentroidSummary[] | null, dimensions: Dimensions, pageRows = EXPORT_PAGE_ROWS): AsyncGenerator<ExportRow[]> {
  const labels = new Map((centroids ?? []).map((c) => [c.cluster_id, c.label ?? null]));
  let after = -1;
  for (;;) {
    const page = await source(after, pageRows);
    if (page.length === 0) return;
    yield page.map((m) => ({
      document_id: m.documentId,
      cluster_id: m.clusterId,
      cluster_label: labels.get(m.clusterId) ?? null,
      distance_to_centroid: m.distanceToCentroid,
      ...coordinatesOf(m, dimensions),
    }));
    after = page[page.length - 1]!.memberIndex;
    if (page.length < pageRows) return;
  }
}
