/** RFC 4180 CSV, one chunk per page of rows: header first, CRLF line ends, empty cells for null. */
import type { ExportRow } from './member-export.ts';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function* csvChunks(pages: AsyncIterable<ExportRow[]>, columns: (keyof ExportRow)[]): AsyncGenerator<Buffer> {
  yield Buffer.from(columns.join(',') + '\r\n', 'utf8');
  for await (const rows of pages) {
    let text = '';
    for (const row of rows) text += columns.map((c) => cell(row[c])).join(',') + '\r\n';
    yield Buffer.from(text, 'utf8');
  }
}
