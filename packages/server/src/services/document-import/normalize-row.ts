// Validates one parsed import row and turns it into the shape storage wants.
// Issues follow FastAPI's validation-error layout ({loc, msg, type}) so
// clients that already handle 422s from the hosted API can reuse that code.

export type Loc = (string | number)[];

export interface RowIssue {
  loc: Loc;
  msg: string;
  type: string;
}

export interface ImportFeature {
  feature_extractor_id: string;
  payload: Record<string, unknown>;
}

export interface ImportRow {
  documentId: string | null;
  metadata: Record<string, unknown>;
  features: ImportFeature[];
  /** Keyed `name`, `feature_extractor_id/name` or `feature_extractor_id`. */
  vectors: Map<string, Float32Array>;
  /** Where each vector key came from inside the row, for later error messages. */
  vectorLocs?: Map<string, Loc>;
}

export type NormalizeResult = { ok: true; row: ImportRow } | { ok: false; errors: RowIssue[] };

export const MAX_DOCUMENT_ID_LENGTH = 128;
export const MAX_VECTOR_DIMENSIONS = 65_536;

const ROW_FIELDS = ['document_id', 'metadata', 'vectors', 'features'];
// Accepted for compatibility with exports that carry it; the URL decides the collection.
const IGNORED_ROW_FIELDS = ['collection_id'];
const FEATURE_FIELDS = ['feature_extractor_id', 'payload', 'vectors'];
const DOCUMENT_ID_CHAR = /[A-Za-z0-9_.:-]/;
const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function unknownField(key: string, where: string, allowed: string[], otherwise: string): string {
  const lower = key.toLowerCase();
  // Long keys cannot be typos of these short names; skipping them also keeps the distance cheap.
  const guess = key.length > 40 ? undefined : allowed.find((f) => f === lower || editDistance(lower, f) <= 2);
  const hint = guess === undefined ? otherwise : ` Did you mean '${guess}'?`;
  const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
  return `unknown field '${shown}'${where}; allowed fields are ${allowed.join(', ')}.${hint}`;
}

/** Human-readable form of a row-relative loc, e.g. features[0].vectors.image. */
function pathText(loc: Loc): string {
  let out = '';
  for (const part of loc) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

class RowNormalizer {
  readonly issues: RowIssue[] = [];
  readonly vectors = new Map<string, Float32Array>();
  readonly vectorLocs = new Map<string, Loc>();

  constructor(private readonly index: number) {}

  issue(loc: Loc, type: string, msg: string): void {
    this.issues.push({ loc: ['body', this.index, ...loc], msg, type });
  }

  /** `undefined`/`null` mean "not given"; anything else must be an object. */
  optionalObject(v: unknown, loc: Loc, what: string, example: string): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return {};
    if (isObject(v)) return v;
    this.issue(loc, 'dict_type', `${what} must be a JSON object, got ${kindOf(v)}; ${example}`);
    return undefined;
  }

  vector(key: string, v: unknown, loc: Loc): void {
    const earlier = this.vectorLocs.get(key);
    if (earlier !== undefined) {
      this.issue(
        loc,
        'value_error',
        `vector name '${key}' is used twice in this row, by ${pathText(earlier)} and by ${pathText(loc)}; ` +
          "rename one (feature vectors are stored as '<feature_extractor_id>/<name>', or '<feature_extractor_id>' for a plain array)",
      );
      return;
    }
    this.vectorLocs.set(key, loc);
    if (!Array.isArray(v)) {
      this.issue(loc, 'list_type', `vector '${key}' must be an array of numbers, got ${kindOf(v)}; send e.g. [0.12, -0.5, 0.33]`);
      return;
    }
    const n = v.length;
    if (n === 0) {
      this.issue(loc, 'too_short', `vector '${key}' is empty; send at least one number, or leave the vector out`);
      return;
    }
    if (n > MAX_VECTOR_DIMENSIONS) {
      this.issue(
        loc,
        'too_long',
        `vector '${key}' has ${n} values, more than the ${MAX_VECTOR_DIMENSIONS} dimensions a vector may have; reduce its dimensionality`,
      );
      return;
    }
    const out = new Float32Array(n);
    let bad = -1;
    let badCount = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x === 'number') {
        const f = Math.fround(x);
        // Infinity - Infinity and NaN - NaN are NaN; every finite f gives 0.
        if (f - f === 0) {
          out[i] = f;
          continue;
        }
      }
      if (bad < 0) bad = i;
      badCount++;
    }
    if (bad < 0) {
      this.vectors.set(key, out);
      return;
    }
    // One issue per vector: a wholly wrong vector would otherwise flood the response.
    const x = v[bad];
    const more = badCount > 1 ? ` (${badCount - 1} more invalid values in this vector)` : '';
    if (typeof x === 'number') {
      this.issue(
        [...loc, bad],
        'finite_number',
        `vector '${key}' holds ${x} at position ${bad} (counting from 0), which does not fit in a 32-bit float (largest magnitude about 3.4e38); ` +
          `rescale or normalise the vector${more}`,
      );
    } else {
      const shown = typeof x === 'string' ? ` (${JSON.stringify(x.length > 20 ? `${x.slice(0, 20)}…` : x)})` : '';
      this.issue(
        [...loc, bad],
        'float_type',
        `vector '${key}' holds ${kindOf(x)}${shown} at position ${bad} (counting from 0), not a number; vectors may only hold plain JSON numbers, ` +
          `without quotes or nulls${more}`,
      );
    }
  }

  documentId(v: unknown): string | null {
    if (v === undefined || v === null) return null;
    const loc = ['document_id'];
    if (typeof v !== 'string') {
      const hint = typeof v === 'number' ? `; quote it, e.g. "${v}"` : '';
      this.issue(loc, 'string_type', `document_id must be a string, got ${kindOf(v)}${hint}`);
      return null;
    }
    if (v.length > MAX_DOCUMENT_ID_LENGTH) {
      this.issue(
        loc,
        'too_long',
        `document_id is ${v.length} characters long, more than ${MAX_DOCUMENT_ID_LENGTH}; use a shorter id, for example a hash of this one`,
      );
      return null;
    }
    if (!DOCUMENT_ID_PATTERN.test(v)) {
      const allowed = 'letters, digits and _ . : -';
      if (v.length === 0) {
        this.issue(loc, 'string_pattern_mismatch', `document_id is empty; leave it out, or use 1 to ${MAX_DOCUMENT_ID_LENGTH} of ${allowed}`);
      } else {
        const at = [...v].findIndex((ch) => !DOCUMENT_ID_CHAR.test(ch));
        const ch = [...v][at];
        this.issue(
          loc,
          'string_pattern_mismatch',
          `document_id ${JSON.stringify(v)} contains ${JSON.stringify(ch)} at position ${at}; only ${allowed} are allowed, so replace or encode that character`,
        );
      }
      return null;
    }
    return v;
  }

  feature(v: unknown, fi: number): ImportFeature | undefined {
    const loc: Loc = ['features', fi];
    if (!isObject(v)) {
      this.issue(loc, 'dict_type', `features[${fi}] must be an object with a feature_extractor_id, got ${kindOf(v)}`);
      return undefined;
    }
    for (const key of Object.keys(v)) {
      if (!FEATURE_FIELDS.includes(key)) this.issue([...loc, key], 'extra_forbidden', unknownField(key, ` in features[${fi}]`, FEATURE_FIELDS, ''));
    }
    const id = v.feature_extractor_id;
    const idLoc = [...loc, 'feature_extractor_id'];
    let fid: string | undefined;
    if (id === undefined || id === null) {
      this.issue(
        idLoc,
        'missing',
        `features[${fi}] has no feature_extractor_id; add one, it names the feature's vectors ('<feature_extractor_id>/<name>')`,
      );
    } else if (typeof id !== 'string') {
      this.issue(idLoc, 'string_type', `features[${fi}].feature_extractor_id must be a string, got ${kindOf(id)}`);
    } else if (id.length === 0) {
      this.issue(idLoc, 'string_too_short', `features[${fi}].feature_extractor_id is empty; give the extractor's id`);
    } else {
      fid = id;
    }
    const payload = this.optionalObject(v.payload, [...loc, 'payload'], `features[${fi}].payload`, 'leave it out or send an object');
    const vectors = v.vectors;
    const vLoc = [...loc, 'vectors'];
    if (fid !== undefined && vectors !== undefined && vectors !== null) {
      if (Array.isArray(vectors)) {
        this.vector(fid, vectors, vLoc);
      } else if (isObject(vectors)) {
        for (const name of Object.keys(vectors)) this.vector(`${fid}/${name}`, vectors[name], [...vLoc, name]);
      } else {
        this.issue(
          vLoc,
          'list_type',
          `features[${fi}].vectors must be an array of numbers or an object of named number arrays, got ${kindOf(vectors)}`,
        );
      }
    }
    return fid !== undefined && payload !== undefined ? { feature_extractor_id: fid, payload } : undefined;
  }
}

export function normalizeImportRow(value: unknown, index: number): NormalizeResult {
  const r = new RowNormalizer(index);
  if (!isObject(value)) {
    r.issue(
      [],
      'dict_type',
      `each row must be a JSON object such as {"document_id": "a1", "vectors": {"embedding": [0.1, 0.2]}}, got ${kindOf(value)}`,
    );
    return { ok: false, errors: r.issues };
  }
  for (const key of Object.keys(value)) {
    if (!ROW_FIELDS.includes(key) && !IGNORED_ROW_FIELDS.includes(key)) {
      r.issue([key], 'extra_forbidden', unknownField(key, '', ROW_FIELDS, ' Put fields of your own inside metadata.'));
    }
  }
  const documentId = r.documentId(value.document_id);
  const metadata = r.optionalObject(value.metadata, ['metadata'], 'metadata', 'put the values in an object such as {"source": "crawl"}');
  const vectors = r.optionalObject(
    value.vectors,
    ['vectors'],
    'vectors',
    'map each vector name to its numbers, e.g. {"embedding": [0.1, 0.2]}',
  );
  if (vectors !== undefined) {
    for (const name of Object.keys(vectors)) r.vector(name, vectors[name], ['vectors', name]);
  }
  const features: ImportFeature[] = [];
  const rawFeatures = value.features;
  if (Array.isArray(rawFeatures)) {
    for (let fi = 0; fi < rawFeatures.length; fi++) {
      const f = r.feature(rawFeatures[fi], fi);
      if (f !== undefined) features.push(f);
    }
  } else if (rawFeatures !== undefined && rawFeatures !== null) {
    r.issue(['features'], 'list_type', `features must be an array of feature objects, got ${kindOf(rawFeatures)}; wrap it in [ ... ]`);
  }
  if (r.issues.length > 0 || metadata === undefined) return { ok: false, errors: r.issues };
  return { ok: true, row: { documentId, metadata, features, vectors: r.vectors, vectorLocs: r.vectorLocs } };
}
