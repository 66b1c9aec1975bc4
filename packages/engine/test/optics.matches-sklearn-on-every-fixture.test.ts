import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { optics } from '../src/cluster/optics.ts';
import type { OpticsResult } from '../src/cluster/optics.ts';
import { adjustedRandIndex } from '../src/metrics/adjusted-rand-index.ts';
import { allDensityFixtures, describeOptions } from './fixtures/density/density-fixtures.ts';
import type { OpticsCase } from './fixtures/density/density-fixtures.ts';

function close(a: number, b: number, tol: number): boolean {
  return a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

function assertArrayClose(actual: Float64Array, expected: Float64Array, tol: number, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i], expected[i], tol)) assert.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

/**
 * With scipy's directly summed distances (minkowski, manhattan, chebyshev)
 * scikit-learn's numbers are reproducible to the last bit, and so is every
 * tie it breaks: demand the identical ordering, predecessors and hierarchy.
 */
function assertExact(result: OpticsResult, expected: OpticsCase): void {
  assert.deepEqual(Array.from(result.ordering), Array.from(expected.ordering));
  assertArrayClose(result.reachability, expected.reachability, 1e-12, 'reachability');
  assertArrayClose(result.coreDistances, expected.coreDistances, 1e-12, 'core distance');
  assert.deepEqual(Array.from(result.predecessor), Array.from(expected.predecessor));
  assert.deepEqual(Array.from(result.clusterHierarchy), Array.from(expected.clusterHierarchy));
  assert.deepEqual(Array.from(result.labels), Array.from(expected.labels));
}

/**
 * scikit-learn's cosine distances come from a matrix product whose rounding
 * (≈1e-16) decides between reachabilities that are equal in exact
 * arithmetic. Where such a tie is broken the other way, the points involved
 * swap places and may be reached from a different neighbour later. Demand:
 * the same sequence up to the first divergence, which must be a tie; equal
 * core distances; reachabilities equal within 1e-6 for all but a few rows;
 * the same partition.
 */
function assertEqualUpToTies(result: OpticsResult, expected: OpticsCase, n: number): void {
  const first = expected.ordering.findIndex((row, k) => row !== result.ordering[k]);
  if (first >= 0) {
    const ours = result.ordering[first];
    const theirs = expected.ordering[first];
    assert.ok(
      close(expected.reachability[ours], expected.reachability[theirs], 1e-12),
      `ordering diverges at ${first} without a tie: ${expected.reachability[ours]} vs ${expected.reachability[theirs]}`,
    );
  }
  assertArrayClose(result.coreDistances, expected.coreDistances, 1e-9, 'core distance');
  let differing = 0;
  for (let i = 0; i < n; i++) if (!close(result.reachability[i], expected.reachability[i], 1e-6)) differing++;
  assert.ok(differing <= Math.ceil(0.02 * n), `${differing} reachabilities differ by more than 1e-6`);
  assert.equal(adjustedRandIndex(result.labels, expected.labels), 1);
}

describe('OPTICS matches scikit-learn on every fixture', () => {
  for (const fixture of allDensityFixtures()) {
    for (const expected of fixture.optics) {
      for (const algorithm of ['kd_tree', 'brute'] as const) {
        it(`${fixture.name} ${describeOptions(expected.options)} (${algorithm})`, () => {
          const result = optics(fixture.data, fixture.n, fixture.d, { ...expected.options, algorithm });
          if (expected.options.metric === 'cosine') assertEqualUpToTies(result, expected, fixture.n);
          else assertExact(result, expected);
        });
      }
    }
  }
});
