import type { CentroidSummary, DocumentRecord, MemberRow } from '../../src/domain/records.ts';
import type { DocumentSource } from '../../src/labeling/labeler.ts';
import { topicText } from './fake-provider.ts';

export function doc(documentId: string, metadata: Record<string, unknown>, payload: Record<string, unknown> | null = null): DocumentRecord {
  return { documentId, collectionId: 'col_x', namespaceId: 'ns_x', metadata, features: payload ? [{ feature_extractor_id: 'text', payload }] : [], createdAt: 0, updatedAt: 0 };
}

export function memorySource(docs: DocumentRecord[]): DocumentSource & { reads: number } {
  const source = {
    reads: 0,
    async *read(ids: ReadonlySet<string>) {
      source.reads++;
      yield docs.filter((d) => ids.has(d.documentId));
    },
  };
  return source;
}

export function centroid(clusterId: string, members: number, label: string | null = null): CentroidSummary {
  return { cluster_id: clusterId, num_members: members, label, summary: null, keywords: null, mean_cosine_similarity: null, min_cosine_similarity: null };
}

/** `perTopic` documents of each of the three topics; cluster i holds topic i, distances grow with the index. */
export function topicCorpus(perTopic: number, topics = 3): { docs: DocumentRecord[]; members: MemberRow[]; centroids: CentroidSummary[] } {
  const docs: DocumentRecord[] = [];
  const members: MemberRow[] = [];
  for (let t = 0; t < topics; t++) {
    for (let i = 0; i < perTopic; i++) {
      const id = `d${t}_${i}`;
      docs.push(doc(id, { text: topicText(t, t * 1000 + i), code: `sku-${i}`, parity: i % 2 ? 'odd' : 'even' }));
      members.push({ documentId: id, clusterId: `cl_${t}`, distanceToCentroid: i / perTopic });
    }
  }
  return { docs, members, centroids: Array.from({ length: topics }, (_, t) => centroid(`cl_${t}`, perTopic)) };
}
