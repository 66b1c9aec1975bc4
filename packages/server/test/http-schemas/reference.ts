/**
 * Test helpers that compare our TypeBox schemas with the Mixpeek OpenAPI reference.
 * Only machine facts are compared (property names, types, enums, defaults, bounds, required);
 * prose (title, description, examples) is ignored.
 *
 * The reference lives outside the repository (shared/reference next to the checkout); point
 * CENTROID_REFERENCE_OPENAPI at it elsewhere. Tests that need it skip, loudly, when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');

export const REFERENCE_PATH =
  process.env.CENTROID_REFERENCE_OPENAPI ?? resolve(repoRoot, '../shared/reference/mixpeek-clustering-openapi.json');

export const reference: { components: { schemas: Record<string, Json> } } | undefined = existsSync(REFERENCE_PATH)
  ? JSON.parse(readFileSync(REFERENCE_PATH, 'utf8'))
  : undefined;

export const SKIP_WITHOUT_REFERENCE = reference ? false : `reference not found at ${REFERENCE_PATH} (set CENTROID_REFERENCE_OPENAPI)`;

export function component(name: string): Json {
  const found = reference?.components.schemas[name];
  if (!found) throw new Error(`reference has no component ${name}`);
  return found;
}

const IGNORED = new Set(['title', 'description', 'examples', 'example', 'readOnly', 'writeOnly']);

/** Plain JSON copy: drops TypeBox's non-enumerable `~kind` markers. */
export function plain<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema)) as T;
}

/**
 * The comparable facts of a schema, with $refs inlined. `additionalProperties: false` is dropped:
 * refusing unknown keys is our deliberate tightening, not a shape difference.
 */
export function signature(schema: unknown, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => signature(s, seen));
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Json;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    if (seen.includes(name)) return { $cycle: name };
    // OpenAPI 3.1 allows siblings next to $ref (the reference puts `default` there).
    const { $ref: _ref, ...siblings } = s;
    const merged: Json = { ...(signature(component(name), [...seen, name]) as Json), ...(signature(siblings, seen) as Json) };
    return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const out: Json = {};
  for (const key of Object.keys(s).sort()) {
    if (IGNORED.has(key)) continue;
    const value = s[key];
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'required') out.required = [...(value as string[])].sort();
    else if (key === 'properties') {
      const props: Json = {};
      for (const [name, sub] of Object.entries(value as Json)) props[name] = signature(sub, seen);
      out.properties = props;
    } else if (key === 'default' || key === 'enum' || key === 'const') out[key] = value;
    else out[key] = signature(value, seen);
  }
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return out;
}

export interface MirrorAllowances {
  /** Properties we add on purpose. */
  extra?: string[];
  /** Properties whose shape differs on purpose (the reason belongs in the calling test). */
  differs?: string[];
  /** Properties we require although the reference does not, and vice versa. */
  extraRequired?: string[];
  notRequired?: string[];
}

/** Every difference between our schema and a reference component, as readable lines. */
export function mirrorDifferences(ours: unknown, referenceName: string, allow: MirrorAllowances = {}): string[] {
  const mine = signature(plain(ours)) as Json;
  const theirs = signature(component(referenceName)) as Json;
  const out: string[] = [];
  const mineProps = (mine.properties ?? {}) as Json;
  const theirProps = (theirs.properties ?? {}) as Json;
  const skip = new Set([...(allow.extra ?? []), ...(allow.differs ?? [])]);
  for (const [name, sig] of Object.entries(theirProps)) {
    if (!(name in mineProps)) out.push(`${referenceName}.${name}: missing from our schema`);
    else if (!skip.has(name) && JSON.stringify(mineProps[name]) !== JSON.stringify(sig)) {
      out.push(`${referenceName}.${name}: ours ${JSON.stringify(mineProps[name])} vs reference ${JSON.stringify(sig)}`);
    }
  }
  for (const name of Object.keys(mineProps)) {
    if (!(name in theirProps) && !(allow.extra ?? []).includes(name)) out.push(`${referenceName}.${name}: not in the reference`);
  }
  const mineReq = new Set((mine.required ?? []) as string[]);
  const theirReq = new Set((theirs.required ?? []) as string[]);
  for (const name of mineReq) {
    if (!theirReq.has(name) && !(allow.extraRequired ?? []).includes(name)) out.push(`${referenceName}.${name}: required by us only`);
  }
  for (const name of theirReq) {
    if (!mineReq.has(name) && !(allow.notRequired ?? []).includes(name)) out.push(`${referenceName}.${name}: required by the reference only`);
  }
  return out;
}

/** Reference examples sometimes carry a `description` annotation that is not a field. */
export function withoutAnnotation(example: unknown, schema: unknown): unknown {
  const props = (schema as { properties?: Json }).properties ?? {};
  if (typeof example !== 'object' || example === null || 'description' in props) return example;
  const { description: _ignored, ...rest } = example as Json;
  return rest;
}
