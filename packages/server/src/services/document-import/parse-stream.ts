// Splits a bulk-import body into one JSON value per row without ever holding
// the whole body. The scanner only looks at ASCII structural bytes; UTF-8
// continuation bytes are always >= 0x80, so multi-byte characters cut by a
// chunk boundary need no special care: rows are decoded only once complete.
import { Buffer, isUtf8 } from 'node:buffer';

export type ImportFormat = 'json-array' | 'ndjson';

export interface ParseLimits {
  maxRowBytes: number;
}

/** Big enough for a 65,536-dimension vector written with full float precision. */
export const DEFAULT_MAX_ROW_BYTES = 16 * 1024 * 1024;

export type RowChunk =
  | { index: number; value: unknown }
  | { index: number; error: string; type: 'json_invalid' | 'too_long' };

/** The body as a whole is unusable (not an array, truncated, trailing data). */
export class ImportFormatError extends Error {
  override readonly name = 'ImportFormatError';
  readonly type = 'json_invalid';
  constructor(
    message: string,
    /** Byte offset into the body where the problem was detected. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

function showByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Bytes of the row currently being read, for rows that span chunks. Once a
 * row exceeds the limit its bytes are dropped but still counted, so memory
 * stays bounded by maxRowBytes whatever the client sends.
 */
class RowBytes {
  private buf: Buffer = Buffer.allocUnsafe(0);
  private stored = 0;
  /** Bytes seen for the current row, whether stored or not. */
  size = 0;

  constructor(private readonly max: number) {}

  add(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    this.size += n;
    if (this.size > this.max) return;
    const need = this.stored + n;
    if (need > this.buf.length) {
      // Doubling keeps copying amortised O(n); the cap keeps it bounded.
      const grown = Buffer.allocUnsafe(Math.min(this.max, Math.max(need, this.buf.length * 2, 64 * 1024)));
      this.buf.copy(grown, 0, 0, this.stored);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.stored, start, end);
    this.stored = need;
  }

  /** Completes the row with chunk[start, end); null when it is over the limit. */
  take(chunk: Buffer, start: number, end: number): Buffer | null {
    if (this.size === 0) {
      this.size = end - start;
      return this.size > this.max ? null : chunk.subarray(start, end);
    }
    this.add(chunk, start, end);
    return this.size > this.max ? null : this.buf.subarray(0, this.stored);
  }

  reset(): void {
    this.size = 0;
    this.stored = 0;
  }
}

abstract class Splitter {
  protected chunk: Buffer = Buffer.allocUnsafe(0);
  protected pos = 0;
  /** Body offset of chunk[0]. */
  protected base = 0;
  protected rowIndex = 0;
  protected readonly row: RowBytes;

  constructor(protected readonly maxRowBytes: number) {
    this.row = new RowBytes(maxRowBytes);
  }

  /** Counts bytes consumed before the splitter saw them (a stripped BOM), for offsets. */
  skipped(n: number): void {
    this.base += n;
  }

  push(chunk: Buffer): void {
    this.base += this.chunk.length;
    this.chunk = chunk;
    this.pos = 0;
  }

  /** Next complete row in the current chunk, or undefined when it needs more input. */
  abstract next(): RowChunk | undefined;
  /** Called at end of input: a final row without terminator, or a format error. */
  abstract finish(): RowChunk | undefined;

  protected emit(bytes: Buffer | null, where: string): RowChunk {
    const index = this.rowIndex++;
    const label = `row ${index}${where}`;
    if (bytes === null) {
      const size = this.row.size;
      this.row.reset();
      return {
        index,
        type: 'too_long',
        error:
          `${label}: ${size} bytes is more than the ${this.maxRowBytes}-byte limit for one row; ` +
          'shorten its metadata or vectors, or split it into several documents',
      };
    }
    let result: RowChunk;
    if (!isUtf8(bytes)) {
      result = { index, type: 'json_invalid', error: `${label}: invalid JSON: not valid UTF-8; send the body UTF-8 encoded` };
    } else {
      try {
        result = { index, value: JSON.parse(bytes.toString('utf8')) };
      } catch (e) {
        result = { index, type: 'json_invalid', error: `${label}: invalid JSON: ${(e as Error).message}` };
      }
    }
    this.row.reset();
    return result;
  }
}

const SLOT_BYTES = [QUOTE, BACKSLASH, LBRACKET, RBRACKET, LBRACE, RBRACE];
const S_QUOTE = 0;
const S_BACKSLASH = 1;
const S_LBRACKET = 2;
const S_RBRACKET = 3;
const S_LBRACE = 4;
const S_RBRACE = 5;
// Bracket kinds are remembered this deep; deeper ones (only in absurd or
// hostile rows, which are still scanned when over the size limit) are just
// counted, so memory stays bounded.
const MAX_TRACKED_DEPTH = 1 << 16;
// Below this many bytes a JS byte loop beats the cost of calling indexOf.
const SHORT_RUN = 64;

const BEFORE = 0; // expecting the opening '['
const FIRST = 1; // after '[': a value or ']'
const NEXT = 2; // after ',': a value
const IN = 3; // inside an element
const DONE = 4; // after the closing ']'

class ArraySplitter extends Splitter {
  private phase = BEFORE;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = 0;
  /** Kind of bracket open at each depth of the current element. */
  private openers = new Uint8Array(64);
  /** Next position of each byte in SLOT_BYTES within the current chunk; -1 = not looked up yet. */
  private readonly nextAt = new Int32Array(SLOT_BYTES.length);

  override push(chunk: Buffer): void {
    super.push(chunk);
    this.nextAt.fill(-1);
  }

  private find(slot: number, from: number): number {
    let p = this.nextAt[slot];
    if (p < from) {
      p = this.chunk.indexOf(SLOT_BYTES[slot], from);
      if (p < 0) p = this.chunk.length;
      this.nextAt[slot] = p;
    }
    return p;
  }

  private open(depth: number, b: number): number {
    if (depth === this.openers.length && depth < MAX_TRACKED_DEPTH) {
      const grown = new Uint8Array(depth * 2);
      grown.set(this.openers);
      this.openers = grown;
    }
    if (depth < this.openers.length) this.openers[depth] = b;
    return depth + 1;
  }

  /**
   * A closer that does not match the innermost opener (a typo such as
   * {"v":[1,2} ) closes back to the nearest opener it does match, or is
   * ignored if there is none. Either way the element fails JSON.parse, but
   * the split stays in step, so the rows after it are still read and the bad
   * row is reported as such instead of as a truncated body.
   */
  private close(depth: number, opener: number): number {
    if (depth > this.openers.length) return depth - 1;
    for (let d = depth - 1; d >= 0; d--) if (this.openers[d] === opener) return d;
    return depth;
  }

  /**
   * Advances through the current element from i; returns the index of the
   * ',' or ']' that ends it, or n when the chunk ran out first. Vector rows
   * are long runs of digits with no structural bytes, so after a short byte
   * loop finds nothing it jumps with indexOf (memchr) instead of looking at
   * every byte; string-dense rows stay in the byte loop.
   */
  private scanElement(c: Buffer, i: number, n: number): number {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    while (i < n) {
      if (escaped) {
        escaped = false;
        i++;
        continue;
      }
      if (inString) {
        let j = i;
        const lim = Math.min(n, i + SHORT_RUN);
        while (j < lim && c[j] !== QUOTE && c[j] !== BACKSLASH) j++;
        if (j === lim && lim < n) j = Math.min(this.find(S_QUOTE, lim), this.find(S_BACKSLASH, lim));
        if (j >= n) {
          i = n;
          break;
        }
        if (c[j] === QUOTE) inString = false;
        else escaped = true;
        i = j + 1;
        continue;
      }
      if (depth > 0) {
        let j = i;
        const lim = Math.min(n, i + SHORT_RUN);
        for (; j < lim; j++) {
          const b = c[j];
          if (b === QUOTE || b === LBRACKET || b === RBRACKET || b === LBRACE || b === RBRACE) break;
        }
        if (j === lim && lim < n) {
          j = Math.min(
            this.find(S_QUOTE, lim),
            this.find(S_LBRACKET, lim),
            this.find(S_RBRACKET, lim),
            this.find(S_LBRACE, lim),
            this.find(S_RBRACE, lim),
          );
        }
        if (j >= n) {
          i = n;
          break;
        }
        const b = c[j];
        if (b === QUOTE) inString = true;
        else if (b === LBRACKET || b === LBRACE) depth = this.open(depth, b);
        else depth = this.close(depth, b === RBRACKET ? LBRACKET : LBRACE);
        i = j + 1;
        continue;
      }
      const b = c[i];
      if (b === COMMA || b === RBRACKET) break;
      if (b === QUOTE) inString = true;
      else if (b === LBRACKET || b === LBRACE) depth = this.open(depth, b);
      // A stray '}' at depth 0 stays in the element so JSON.parse reports it.
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return i;
  }

  next(): RowChunk | undefined {
    const c = this.chunk;
    const n = c.length;
    let i = this.pos;
    while (i < n) {
      if (this.phase === IN) {
        i = this.scanElement(c, i, n);
        if (i === n) {
          this.row.add(c, this.start, n);
          this.start = 0;
          break;
        }
        const result = this.emit(this.row.take(c, this.start, i), '');
        this.phase = c[i] === COMMA ? NEXT : DONE;
        this.pos = i + 1;
        return result;
      }
      const b = c[i];
      if (isWhitespace(b)) {
        i++;
        continue;
      }
      const at = this.base + i;
      if (this.phase === BEFORE) {
        if (b !== LBRACKET) {
          throw new ImportFormatError(
            `the body must be a JSON array of documents, but it starts with ${showByte(b)} at byte ${at}; ` +
              'wrap the documents in [ ... ], or send one object per line with Content-Type application/x-ndjson',
            at,
          );
        }
        this.phase = FIRST;
      } else if (this.phase === DONE) {
        throw new ImportFormatError(
          `unexpected ${showByte(b)} at byte ${at} after the closing ']' of the document array; ` +
            'the body must contain exactly one JSON array',
          at,
        );
      } else if (b === RBRACKET) {
        if (this.phase === NEXT) {
          throw new ImportFormatError(`trailing comma before the closing ']' at byte ${at}; remove it`, at);
        }
        this.phase = DONE;
      } else if (b === COMMA) {
        throw new ImportFormatError(`missing value before ',' at byte ${at} (row ${this.rowIndex}); remove the extra comma`, at);
      } else {
        this.phase = IN;
        this.start = i;
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        continue;
      }
      i++;
    }
    this.pos = n;
    return undefined;
  }

  finish(): RowChunk | undefined {
    const end = this.base + this.chunk.length;
    if (this.phase === BEFORE) {
      throw new ImportFormatError('the request body is empty; expected a JSON array of documents', end);
    }
    if (this.phase !== DONE) {
      const inside = this.phase === IN ? `, in the middle of row ${this.rowIndex}` : '';
      throw new ImportFormatError(
        `the body ended at byte ${end} before the closing ']' of the document array ` +
          `(after ${this.rowIndex} complete rows${inside}); the upload was probably cut off, resend the whole body`,
        end,
      );
    }
    return undefined;
  }
}

class NdjsonSplitter extends Splitter {
  /** Newlines seen so far, so the current line is number lines + 1. */
  private lines = 0;

  next(): RowChunk | undefined {
    const c = this.chunk;
    const n = c.length;
    let i = this.pos;
    while (i < n) {
      const nl = c.indexOf(NEWLINE, i);
      if (nl === -1) {
        this.row.add(c, i, n);
        break;
      }
      const result = this.line(c, i, nl);
      i = nl + 1;
      if (result !== undefined) {
        this.pos = i;
        return result;
      }
    }
    this.pos = n;
    return undefined;
  }

  finish(): RowChunk | undefined {
    return this.row.size > 0 ? this.line(this.chunk, this.chunk.length, this.chunk.length) : undefined;
  }

  private line(c: Buffer, start: number, end: number): RowChunk | undefined {
    const lineNo = ++this.lines;
    const bytes = this.row.take(c, start, end);
    if (bytes !== null) {
      let k = 0;
      while (k < bytes.length && isWhitespace(bytes[k])) k++;
      if (k === bytes.length) {
        this.row.reset();
        return undefined;
      }
    }
    return this.emit(bytes, ` (line ${lineNo})`);
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Yields one entry per row of a JSON-array or NDJSON body. A row that is not
 * valid JSON or is too big becomes an `error` entry and reading goes on;
 * a body that is structurally unusable throws ImportFormatError.
 */
export async function* splitJsonElements(
  source: AsyncIterable<Buffer | Uint8Array>,
  format: ImportFormat,
  limits: ParseLimits,
): AsyncGenerator<RowChunk> {
  if (!Number.isSafeInteger(limits.maxRowBytes) || limits.maxRowBytes < 1) {
    throw new RangeError(`maxRowBytes must be a positive integer, got ${limits.maxRowBytes}`);
  }
  const splitter: Splitter =
    format === 'ndjson' ? new NdjsonSplitter(limits.maxRowBytes) : new ArraySplitter(limits.maxRowBytes);
  // The first bytes are held back until we know whether they are a UTF-8 BOM,
  // which editors on Windows like to prepend and JSON.parse rejects.
  let head: Buffer | null = Buffer.alloc(0);
  for await (const piece of source) {
    let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (head !== null) {
      head = Buffer.concat([head, chunk]);
      if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) continue;
      chunk = head;
      if (head.subarray(0, BOM.length).equals(BOM)) {
        chunk = head.subarray(BOM.length);
        splitter.skipped(BOM.length);
      }
      head = null;
    }
    splitter.push(chunk);
    for (let row = splitter.next(); row !== undefined; row = splitter.next()) yield row;
  }
  if (head !== null && head.length > 0) {
    splitter.push(head);
    for (let row = splitter.next(); row !== undefined; row = splitter.next()) yield row;
  }
  const last = splitter.finish();
  if (last !== undefined) yield last;
}
