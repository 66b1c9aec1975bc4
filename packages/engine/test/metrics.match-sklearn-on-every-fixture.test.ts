import { beforeEach, describe, it } from 'node:test';
import { calinskiHarabaszScore, daviesBouldinScore, silhouetteScore } from '../src/index.ts';
import { allFixtures, assertRelClose } from './helpers/fixtures.ts';
import type { MetricTriple } from './helpers/fixtures.ts';
import { useKernels } from '../src/linalg/kernels.ts';

const REL = 1e-5;

for (const backend of ['wasm', 'typescript'] as const) {
  for (const fx of allFixtures()) {
    describe(`metrics on ${fx.name} (${fx.n}×${fx.d}) equal scikit-learn's (${backend} kernels)`, () => {
      beforeEach(() => useKernels(backend));
      const cases: Array<[string, Int32Array, MetricTriple]> = [
        ['ground-truth labels', fx.trueLabels, fx.metricsTrue],
        ['scikit-learn k-means labels', fx.kmeansLabels, fx.metricsKmeans],
      ];
      for (const [what, labels, expected] of cases) {
        it(`silhouette for ${what}`, () => {
          assertRelClose(silhouetteScore(fx.data, fx.n, fx.d, labels), expected.silhouette, REL, 'silhouette');
        });
        it(`Davies–Bouldin for ${what}`, () => {
          assertRelClose(daviesBouldinScore(fx.data, fx.n, fx.d, labels), expected.davies_bouldin, REL, 'davies_bouldin');
        });
        it(`Calinski–Harabasz for ${what}`, () => {
          assertRelClose(
            calinskiHarabaszScore(fx.data, fx.n, fx.d, labels),
            expected.calinski_harabasz,
            REL,
            'calinski_harabasz',
          );
        });
      }
      it('labels are treated as names: shifting and permuting them changes nothing', () => {
        const renamed = fx.kmeansLabels.map((l) => (fx.k - 1 - l) * 7 + 100);
        assertRelClose(silhouetteScore(fx.data, fx.n, fx.d, renamed), fx.metricsKmeans.silhouette, REL, 'silhouette');
        assertRelClose(daviesBouldinScore(fx.data, fx.n, fx.d, renamed), fx.metricsKmeans.davies_bouldin, REL, 'db');
        assertRelClose(calinskiHarabaszScore(fx.data, fx.n, fx.d, renamed), fx.metricsKmeans.calinski_harabasz, REL, 'ch');
      });
    });
  }
}
