/**
 * Decoder for the server's binary scatter format (GET …/executions/{run_id}/scatter), kept free of
 * DOM types so the server's tests can check it against the encoder.
 *
 * Layout, little-endian:
 *   header  16 bytes: "CSCT" magic, u32 version (1), u32 point count N, u32 record size (12)
 *   records N × 12 bytes: f32 x, f32 y, u32 cluster index (into the trailer's cluster table)
 *   trailer UTF-8 JSON {clusters: [{cluster_id, label, num_members}], bounds, has_coordinates},
 *           space-padded to a multiple of 4, followed by its byte length as u32 (the last 4 bytes)
 */
export const SCATTER_MAGIC = 'CSCT';
export const SCATTER_VERSION = 1;
export const SCATTER_HEADER_BYTES = 16;
export const SCATTER_RECORD_BYTES = 12;

export interface ScatterCluster {
  cluster_id: string;
  label: string | null;
  num_members: number;
}

export interface ScatterTrailer {
  clusters: ScatterCluster[];
  bounds: { min_x: number; max_x: number; min_y: number; max_y: number } | null;
  /** False when the run stored no 2-D coordinates (then every x and y is NaN). */
  has_coordinates: boolean;
}

export interface ScatterData extends ScatterTrailer {
  count: number;
  x: Float32Array;
  y: Float32Array;
  /** Index into `clusters` for each point. */
  cluster: Uint32Array;
}

export function decodeScatter(buffer: ArrayBuffer): ScatterData {
  if (buffer.byteLength < SCATTER_HEADER_BYTES + 4) throw new Error('scatter body too short');
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== SCATTER_MAGIC) throw new Error(`not a scatter body (magic '${magic}')`);
  const version = view.getUint32(4, true);
  if (version !== SCATTER_VERSION) throw new Error(`unsupported scatter version ${version}`);
  const count = view.getUint32(8, true);
  const recordBytes = view.getUint32(12, true);
  if (recordBytes !== SCATTER_RECORD_BYTES) throw new Error(`unexpected record size ${recordBytes}`);
  const recordsEnd = SCATTER_HEADER_BYTES + count * recordBytes;
  const trailerLength = view.getUint32(buffer.byteLength - 4, true);
  if (recordsEnd + trailerLength + 4 !== buffer.byteLength) throw new Error('scatter body length does not match its header');
  const trailer = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, recordsEnd, trailerLength))) as ScatterTrailer;

  // Records are 4-byte aligned (16-byte header, 12-byte records), so typed views read them in place.
  const floats = new Float32Array(buffer, SCATTER_HEADER_BYTES, count * 3);
  const ints = new Uint32Array(buffer, SCATTER_HEADER_BYTES, count * 3);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const cluster = new Uint32Array(count);
  for (let i = 0, o = 0; i < count; i++, o += 3) {
    x[i] = floats[o]!;
    y[i] = floats[o + 1]!;
    cluster[i] = ints[o + 2]!;
  }
  return { count, x, y, cluster, clusters: trailer.clusters, bounds: trailer.bounds, has_coordinates: trailer.has_coordinates };
}

/**
 * Maps coordinates into [-1, 1] (what regl-scatterplot draws), keeping the aspect ratio and a
 * small margin; points without coordinates land at the centre.
 */
export function normalizeCoordinates(data: Pick<ScatterData, 'x' | 'y' | 'count'>): { x: Float32Array; y: Float32Array } {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < data.count; i++) {
    const px = data.x[i]!, py = data.y[i]!;
    if (Number.isFinite(px)) {
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
    }
    if (Number.isFinite(py)) {
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
  }
  const cx = Number.isFinite(minX) ? (minX + maxX) / 2 : 0;
  const cy = Number.isFinite(minY) ? (minY + maxY) / 2 : 0;
  const half = Math.max(Number.isFinite(minX) ? (maxX - minX) / 2 : 0, Number.isFinite(minY) ? (maxY - minY) / 2 : 0) || 1;
  const scale = 0.95 / half;
  const x = new Float32Array(data.count);
  const y = new Float32Array(data.count);
  for (let i = 0; i < data.count; i++) {
    const px = data.x[i]!, py = data.y[i]!;
    x[i] = Number.isFinite(px) ? (px - cx) * scale : 0;
    y[i] = Number.isFinite(py) ? (py - cy) * scale : 0;
  }
  return { x, y };
}
