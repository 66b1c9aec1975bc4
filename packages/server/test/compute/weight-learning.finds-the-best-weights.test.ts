import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnFeatureWeights } from '../../src/compute/weight-learning.ts';

const config = { metric: 'silhouette' as const, sample_size: null, random_state: 7 };

test('grid search evaluates every combination and returns the best, normalised to sum to 1', () => {
  const seen: number[][] = [];
  // Best when the first weight is 3× the second.
  const objective = (w: number[]) => {
    seen.push(w);
    return -Math.abs(w[0]! / w[1]! - 3);
  };
  const learned = learnFeatureWeights(objective, 2, { ...config, method: 'grid_search', max_iterations: 6 });
  assert.equal(seen.length, 36);
  assert.equal(learned.evaluations, 36);
  assert.ok(Math.abs(learned.weights[0]! - 0.75) < 1e-12, String(learned.weights));
  assert.ok(Math.abs(learned.weights[0]! + learned.weights[1]! - 1) < 1e-12);
  assert.ok(Math.abs(learned.score) < 1e-12);
});

test('bayesian search spends exactly max_iterations evaluations and beats random guessing on a smooth objective', () => {
  const target = [0.8, 0.2, 0.5];
  const objective = (w: number[]) => -w.reduce((s, x, i) => s + (x - target[i]!) ** 2, 0);
  const seeds = [1, 5, 7, 42, 100];
  let total = 0;
  for (const random_state of seeds) {
    let calls = 0;
    const learned = learnFeatureWeights((w) => (calls++, objective(w)), 3, { ...config, random_state, method: 'bayesian', max_iterations: 30 });
    assert.equal(calls, 30);
    assert.equal(learned.evaluations, 30);
    total += learned.score;
  }
  // The best of 30 uniform draws in [0.05, 1]^3 averages about -0.035 on this objective (simulated);
  // the model-guided search must do several times better on average.
  assert.ok(total / seeds.length > -0.008, `mean best score ${total / seeds.length}`);
});

test('candidates that cannot be scored are skipped, and all-unscorable is an error', () => {
  const learned = learnFeatureWeights((w) => (w[0]! > 0.5 ? Number.NEGATIVE_INFINITY : w[0]!), 2, { ...config, method: 'grid_search', max_iterations: 5 });
  assert.ok(Math.abs(learned.score - 0.4) < 1e-12);
  assert.throws(() => learnFeatureWeights(() => Number.NEGATIVE_INFINITY, 2, { ...config, method: 'grid_search', max_iterations: 5 }), /no weights/);
});
