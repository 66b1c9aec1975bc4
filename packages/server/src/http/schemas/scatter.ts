/** Shapes of the dashboard's scatter endpoints: the binary point stream and its per-point lookup. */
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { CENTROID_ID_PATTERN } from './executions.ts';

export const ScatterPointParams = Type.Object(
  {
    cluster_id: Type.String({ minLength: 1, description: 'Cluster id (clust_…).' }),
    run_id: Type.String({ minLength: 1, description: 'Execution run id (run_…).' }),
    index: Type.Integer({ minimum: 0, description: 'Point index in the scatter body (0-based, the order of the records).' }),
  },
  { title: 'ScatterPointParams' },
);
export type ScatterPointParams = Static<typeof ScatterPointParams>;

export const ScatterPoint = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    document_id: Type.String({ description: 'Document this point stands for; fetch it from one of the cluster input collections.' }),
    cluster_id: Type.String({ pattern: CENTROID_ID_PATTERN, description: 'Cluster the document was assigned to.' }),
    x: Nullable(Type.Number(), { description: 'Projected x; null when the run stored no coordinates.' }),
    y: Nullable(Type.Number(), { description: 'Projected y; null when the run stored no coordinates.' }),
    distance_to_centroid: Nullable(Type.Number({ minimum: 0 }), { description: 'Distance to its cluster centre; null for noise.' }),
  },
  { title: 'ScatterPoint', description: 'One point of an execution scatter, for hover details.' },
);
export type ScatterPoint = Static<typeof ScatterPoint>;

/** Documentation of the binary body; the route streams bytes, not JSON. */
export const ScatterBody = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'Little-endian scatter body; see the route description.' });

export const SCATTER_FORMAT_DESCRIPTION = [
  'Every member of a completed execution as a compact little-endian binary body (Content-Type application/octet-stream),',
  'streamed page by page, for plotting up to millions of points without JSON parsing. Layout:',
  '',
  '1. Header, 16 bytes: ASCII magic `CSCT`, u32 format version (1), u32 point count N, u32 record size in bytes (12).',
  '2. N records of 12 bytes, in member order: f32 x, f32 y, u32 cluster index. x and y are the run\'s 2-D projection',
  '   (NaN when the run stored no coordinates); the cluster index points into the trailer\'s `clusters` table.',
  '3. Trailer: UTF-8 JSON `{"clusters": [{"cluster_id", "label", "num_members"}], "bounds": {"min_x", "max_x", "min_y", "max_y"} | null,',
  '   "has_coordinates": bool}`, padded with spaces to a multiple of 4 bytes, then its byte length as u32 (the body\'s last 4 bytes).',
  '',
  'Records start at byte 16 and are 4-byte aligned, so a client can read them with Float32Array/Uint32Array views.',
  'Point i is member i of the run; `GET …/scatter/points/{i}` returns its document id (for hover details).',
  'Only completed executions have members: other statuses answer 409 `scatter_unavailable`.',
].join('\n');
