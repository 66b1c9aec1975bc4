import { VectorDimensionCheck } from './dimension-check.ts';
import { normalizeImportRow } from './normalize-row.ts';
import type { ImportRow, RowIssue } from './normalize-row.ts';
import { splitJsonElements } from './parse-stream.ts';
import type { ImportFormat, ParseLimits } from './parse-stream.ts';

export { VectorDimensionCheck } from './dimension-check.ts';
export { MAX_DOCUMENT_ID_LENGTH, MAX_VECTOR_DIMENSIONS, normalizeImportRow } from './normalize-row.ts';
export type { ImportFeature, ImportRow, Loc, NormalizeResult, RowIssue } from './normalize-row.ts';
export { DEFAULT_MAX_ROW_BYTES, ImportFormatError, splitJsonElements } from './parse-stream.ts';
export type { ImportFormat, ParseLimits, RowChunk } from './parse-stream.ts';

export type ImportRowResult = { index: number; row: ImportRow } | { index: number; issues: RowIssue[] };

/**
 * Parses, validates and dimension-checks rows one at a time. Pass the
 * collection's VectorDimensionCheck to compare against stored dimensions and
 * to read newDimensions() afterwards. Throws ImportFormatError when the body
 * as a whole is unusable; bad rows are yielded as issues and reading goes on,
 * so the caller decides when it has collected enough of them.
 */
export async function* readImportRows(
  source: AsyncIterable<Buffer | Uint8Array>,
  format: ImportFormat,
  limits: ParseLimits,
  dimensions: VectorDimensionCheck = new VectorDimensionCheck(new Map()),
): AsyncGenerator<ImportRowResult> {
  for await (const chunk of splitJsonElements(source, format, limits)) {
    const { index } = chunk;
    if ('error' in chunk) {
      yield { index, issues: [{ loc: ['body', index], msg: chunk.error, type: chunk.type }] };
      continue;
    }
    const result = normalizeImportRow(chunk.value, index);
    if (!result.ok) {
      yield { index, issues: result.errors };
      continue;
    }
    const issues = dimensions.check(result.row, index);
    yield issues.length > 0 ? { index, issues } : { index, row: result.row };
  }
}
