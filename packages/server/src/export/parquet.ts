/**
 * Parquet written incrementally with hyparquet-writer's ParquetWriter: each page of rows becomes
 * one row group, and the bytes of each finished row group are handed on before the next page is
 * read. Memory is bounded by one page (EXPORT_PAGE_ROWS rows) plus its encoded row group; the
 * footer adds a few hundred bytes per row group. Snappy-compressed, readable by pyarrow, pandas,
 * DuckDB and hyparquet.
 */
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ExportRow } from './member-export.ts';

const TYPES: Record<keyof ExportRow, SchemaElement> = {
  document_id: { name: 'document_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  cluster_id: { name: 'cluster_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  cluster_label: { name: 'cluster_label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  distance_to_centroid: { name: 'distance_to_centroid', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  x: { name: 'x', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  y: { name: 'y', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  z: { name: 'z', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
};

export async function* parquetChunks(pages: AsyncIterable<ExportRow[]>, columns: (keyof ExportRow)[]): AsyncGenerator<Buffer> {
  const writer = new ByteWriter();
  const ready: Buffer[] = [];
  // ParquetWriter calls flush() after each row group: move the bytes out and reuse the buffer.
  const drain = (): void => {
    if (writer.index === 0) return;
    ready.push(Buffer.from(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  (writer as ByteWriter & { flush(): void }).flush = drain;
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map((c) => TYPES[c])];
  const parquet = new ParquetWriter({ writer, schema, createdBy: 'Centroid' });
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    await parquet.write({
      columnData: columns.map((c) => ({ name: c, data: rows.map((r) => r[c] ?? null) })),
      rowGroupSize: rows.length,
    });
    yield* ready.splice(0);
  }
  await parquet.finish();
  drain();
  yield* ready.splice(0);
}
