// Shared by the document-import tests: feeding bodies in chosen pieces.
import { splitJsonElements } from '../../src/services/document-import/index.ts';
import type { ImportFormat, RowChunk } from '../../src/services/document-import/index.ts';

export async function* fromPieces(pieces: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const p of pieces) yield p;
}

/** The body cut at the given byte offsets. */
export function cutAt(body: Buffer, ...offsets: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...offsets, body.length]) {
    out.push(body.subarray(from, at));
    from = at;
  }
  return out;
}

export function everyByte(body: Buffer): Buffer[] {
  return Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
}

export async function split(
  pieces: Iterable<Uint8Array>,
  format: ImportFormat,
  maxRowBytes = 1 << 20,
): Promise<RowChunk[]> {
  const out: RowChunk[] = [];
  for await (const r of splitJsonElements(fromPieces(pieces), format, { maxRowBytes })) out.push(r);
  return out;
}

export function values(rows: RowChunk[]): unknown[] {
  return rows.map((r) => {
    if ('error' in r) throw new Error(`unexpected row error: ${r.error}`);
    return r.value;
  });
}

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
