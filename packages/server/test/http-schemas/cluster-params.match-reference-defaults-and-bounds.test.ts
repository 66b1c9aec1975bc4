import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AgglomerativeParams,
  CLUSTERING_ALGORITHMS,
  DBSCANParams,
  GaussianMixtureParams,
  HDBSCANParams,
  KMeansParams,
  MeanShiftParams,
  OPTICSParams,
  SpectralParams,
  paramsSchemaFor,
} from '../../src/http/schemas/clusters.ts';
import { SKIP_WITHOUT_REFERENCE, component, plain, signature } from './reference.ts';

const PARAMS = {
  KMeansParams,
  DBSCANParams,
  HDBSCANParams,
  AgglomerativeParams,
  SpectralParams,
  GaussianMixtureParams,
  MeanShiftParams,
  OPTICSParams,
} as const;

const FACTS = ['type', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;

/** Defaults and bounds of one property, including those inside a nullable wrapper. */
function facts(property: unknown): Record<string, unknown> {
  const p = signature(property) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of FACTS) if (key in p) out[key] = p[key];
  if (Array.isArray(p.anyOf)) out.anyOf = p.anyOf.map((branch) => facts(branch));
  return out;
}

describe('the *Params schemas', { skip: SKIP_WITHOUT_REFERENCE }, () => {
  for (const [name, schema] of Object.entries(PARAMS)) {
    test(`${name} has the reference's properties with the same defaults and bounds`, () => {
      const ours = plain(schema) as { properties: Record<string, unknown> };
      const theirs = component(name) as { properties: Record<string, unknown> };
      assert.deepEqual(Object.keys(ours.properties).sort(), Object.keys(theirs.properties).sort(), `${name}: property names differ`);
      for (const [prop, refProp] of Object.entries(theirs.properties)) {
        assert.deepEqual(facts(ours.properties[prop]), facts(refProp), `${name}.${prop}: defaults or bounds differ from the reference`);
      }
    });

    test(`${name} matches the reference property for property, nested shapes included`, () => {
      const ours = signature(plain(schema)) as { properties: unknown };
      const theirs = signature(component(name)) as { properties: unknown };
      assert.deepEqual(ours.properties, theirs.properties);
    });
  }
});

describe('the *Params schemas without the reference', () => {
  test('every params schema refuses unknown keys so a misspelt parameter cannot fall back to its default', () => {
    for (const [name, schema] of Object.entries(PARAMS)) {
      assert.equal((schema as { additionalProperties?: unknown }).additionalProperties, false, name);
    }
  });

  test('every params schema carries its reference component name as title', () => {
    for (const [name, schema] of Object.entries(PARAMS)) assert.equal((schema as { title?: string }).title, name);
  });

  test('paramsSchemaFor returns the schema of each vector method and nothing for attribute_based', () => {
    const expected: Record<string, unknown> = {
      kmeans: KMeansParams,
      dbscan: DBSCANParams,
      hdbscan: HDBSCANParams,
      agglomerative: AgglomerativeParams,
      spectral: SpectralParams,
      gaussian_mixture: GaussianMixtureParams,
      mean_shift: MeanShiftParams,
      optics: OPTICSParams,
      attribute_based: undefined,
    };
    assert.deepEqual([...CLUSTERING_ALGORITHMS].sort(), Object.keys(expected).sort());
    for (const method of CLUSTERING_ALGORITHMS) assert.equal(paramsSchemaFor(method), expected[method], method);
    assert.equal(paramsSchemaFor('toString'), undefined, 'inherited object keys are not methods');
  });
});
