/**
 * The dashboard's scatter data: a binary stream of every member's 2-D coordinates and cluster
 * (JSON would be tens of megabytes and seconds of parsing at a million points), plus a one-point
 * lookup for hover details. Format: SCATTER_FORMAT_DESCRIPTION in ../schemas/scatter.ts.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import type { ExecutionRecord, MemberRow } from '../../domain/records.ts';
import { ErrorResponse, RunIdParams } from '../schemas/common.ts';
import { SCATTER_FORMAT_DESCRIPTION, ScatterBody, ScatterPoint, ScatterPointParams } from '../schemas/scatter.ts';
import { NAMESPACE_HEADER, namespaceOf, type RouteContext } from './context.ts';

const MAGIC = 'CSCT';
const VERSION = 1;
const HEADER_BYTES = 16;
const RECORD_BYTES = 12;
const PAGE = 20_000;

type Member = MemberRow & { memberIndex: number };

/** The 2-D projection, when the run stored one (older runs and runs without a projection have none). */
function coordinatesOf(m: Member): { x: number | null; y: number | null } {
  const x = typeof m.x === 'number' && Number.isFinite(m.x) ? m.x : null;
  const y = typeof m.y === 'number' && Number.isFinite(m.y) ? m.y : null;
  return { x, y };
}

type MembersPage = (execution: ExecutionRecord, afterIndex: number, limit: number) => Promise<Member[]>;

function requireCompleted(e: ExecutionRecord): void {
  if (e.status !== 'completed') {
    throw new AppError('scatter_unavailable', `Execution ${e.runId} is ${e.status}; only completed executions have points to plot. Poll GET /v1/clusters/${e.clusterId}/executions/${e.runId} until it completes`, {
      run_id: e.runId,
      status: e.status,
    });
  }
}

/** Encodes an execution's members as the binary scatter body, one page of members at a time. */
export async function* encodeScatter(membersPage: MembersPage, execution: ExecutionRecord, count: number): AsyncGenerator<Buffer> {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'ascii');
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(RECORD_BYTES, 12);
  yield header;

  const clusters = (execution.centroids ?? []).map((c) => ({ cluster_id: c.cluster_id, label: c.label ?? null, num_members: c.num_members }));
  const indexOf = new Map(clusters.map((c, i) => [c.cluster_id, i]));
  const listed = clusters.length;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  let withCoordinates = 0;
  let written = 0;
  let after = -1;
  while (written < count) {
    const page = await membersPage(execution, after, Math.min(PAGE, count - written));
    if (page.length === 0) break;
    const chunk = Buffer.alloc(page.length * RECORD_BYTES);
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = 0; i < page.length; i++) {
      const m = page[i]!;
      let index = indexOf.get(m.clusterId);
      if (index === undefined) {
        // A cluster missing from the centroid list (e.g. noise): added to the table as it appears.
        index = clusters.length;
        clusters.push({ cluster_id: m.clusterId, label: null, num_members: 0 });
        indexOf.set(m.clusterId, index);
      }
      if (index >= listed) clusters[index]!.num_members++;
      const { x, y } = coordinatesOf(m);
      if (x !== null && y !== null) {
        withCoordinates++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      const o = i * RECORD_BYTES;
      view.setFloat32(o, x ?? Number.NaN, true);
      view.setFloat32(o + 4, y ?? Number.NaN, true);
      view.setUint32(o + 8, index, true);
    }
    written += page.length;
    after = page[page.length - 1]!.memberIndex;
    yield chunk;
  }
  if (written < count) {
    // Members vanished mid-stream (the execution was deleted): pad so the body stays well-formed.
    const pad = Buffer.alloc((count - written) * RECORD_BYTES);
    for (let o = 0; o < pad.length; o += RECORD_BYTES) {
      pad.writeFloatLE(Number.NaN, o);
      pad.writeFloatLE(Number.NaN, o + 4);
    }
    yield pad;
  }
  const trailer = {
    clusters,
    bounds: withCoordinates > 0 ? { min_x: minX, max_x: maxX, min_y: minY, max_y: maxY } : null,
    has_coordinates: withCoordinates > 0,
  };
  let json = Buffer.from(JSON.stringify(trailer), 'utf8');
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  yield Buffer.concat([json, length]);
}

export function scatterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const tags = ['Cluster Executions'];
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
  const s = ctx.services;
  const executionOf = async (req: { params: unknown; headers: unknown }) => {
    const params = req.params as { cluster_id: string; run_id: string };
    const cluster = await s.clusters.require(await namespaceOf(ctx, req as never), params.cluster_id);
    return s.executions.require(cluster, params.run_id);
  };

  app.get(
    '/v1/clusters/:cluster_id/executions/:run_id/scatter',
    {
      schema: {
        tags,
        summary: 'All points of an execution as a binary scatter body (for plotting)',
        description: SCATTER_FORMAT_DESCRIPTION,
        headers: NAMESPACE_HEADER,
        params: RunIdParams,
        response: { 200: { description: 'The binary scatter body.', content: { 'application/octet-stream': { schema: ScatterBody } } }, ...errors },
      },
    },
    async (req, reply) => {
      const execution = await executionOf(req);
      requireCompleted(execution);
      const executions = ctx.services.executions;
      const count = await executions.memberCount(execution);
      // No Content-Length: the trailer (bounds, stray cluster ids) is only known once streamed.
      reply.type('application/octet-stream').header('cache-control', 'private, max-age=3600').header('x-scatter-points', String(count));
      return reply.send(Readable.from(encodeScatter((e, after, limit) => executions.membersPage(e, after, limit), execution, count)));
    },
  );

  app.get(
    '/v1/clusters/:cluster_id/executions/:run_id/scatter/points/:index',
    {
      schema: {
        tags,
        summary: 'One point of an execution scatter: its document id and cluster (for hover details)',
        headers: NAMESPACE_HEADER,
        params: ScatterPointParams,
        response: { 200: ScatterPoint, ...errors },
      },
    },
    async (req) => {
      const execution = await executionOf(req);
      requireCompleted(execution);
      const index = (req.params as { index: number }).index;
      const [member] = await ctx.services.executions.membersPage(execution, index - 1, 1);
      if (!member || member.memberIndex !== index) {
        throw new AppError('scatter_point_not_found', `Execution ${execution.runId} has no point ${index}; points are numbered 0 to num_points - 1`, { run_id: execution.runId, index });
      }
      const { x, y } = coordinatesOf(member);
      return { index, document_id: member.documentId, cluster_id: member.clusterId, x, y, distance_to_centroid: member.distanceToCentroid };
    },
  );
}

