// Throughput of the whole import read path (split + parse + validate +
// float32 + dimension check). Not a test: run it by hand with
//   node --import tsx packages/server/test/document-import/read-import-rows.throughput.bench.ts [rows] [dims]
import { DEFAULT_MAX_ROW_BYTES, readImportRows } from '../../src/services/document-import/index.ts';
import type { ImportFormat } from '../../src/services/document-import/index.ts';

const rows = Number(process.argv[2] ?? 20_000);
const dims = Number(process.argv[3] ?? 768);
const CHUNK = 64 * 1024;

function makeBody(format: ImportFormat): Buffer {
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Array<number>(dims);
    for (let d = 0; d < dims; d++) v[d] = Math.random() * 2 - 1;
    parts.push(JSON.stringify({ document_id: `doc-${r}`, metadata: { n: r, tag: 'bench' }, vectors: { embedding: v } }));
  }
  return Buffer.from(format === 'ndjson' ? parts.join('\n') + '\n' : `[${parts.join(',\n')}]`);
}

async function* chunks(body: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += CHUNK) yield body.subarray(i, i + CHUNK);
}

for (const format of ['json-array', 'ndjson'] as const) {
  const body = makeBody(format);
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let good = 0;
    for await (const r of readImportRows(chunks(body), format, { maxRowBytes: DEFAULT_MAX_ROW_BYTES })) {
      if ('row' in r) good++;
      else throw new Error(JSON.stringify(r.issues));
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    // CPU time (user + system, all threads, so GC helpers too) is reported
    // beside wall time because shared machines make wall time noisy.
    const cpu = (c.user + c.system) / 1e6;
    const mb = body.length / 1e6;
    console.log(
      `${format.padEnd(10)} run ${run}: ${mb.toFixed(1)} MB, ${good} rows in ${s.toFixed(2)} s wall / ${cpu.toFixed(2)} s CPU = ` +
        `${(mb / s).toFixed(0)} MB/s, ${Math.round(good / s)} rows/s (wall)`,
    );
  }
}
