import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignMeanShift, meanShift } from '../src/cluster/mean-shift.ts';
import { blobs } from './helpers/random-data.ts';

describe('assignMeanShift is scikit-learn predict: the nearest centre', () => {
  it('labels unseen rows by brute-force nearest centre', () => {
    const fit = blobs(400, 4, 4, 17, 2).data;
    const model = meanShift(fit, 400, 4, { bandwidth: 6, binSeeding: true });
    assert.ok(model.nClusters >= 2);
    const rows = blobs(250, 4, 4, 99, 4).data;
    const labels = assignMeanShift(model.clusterCenters, model.nClusters, rows, 250, 4);
    for (let i = 0; i < 250; i++) {
      let best = Infinity;
      let expected = -1;
      for (let c = 0; c < model.nClusters; c++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += (rows[i * 4 + j] - model.clusterCenters[c * 4 + j]) ** 2;
        if (s < best) {
          best = s;
          expected = c;
        }
      }
      assert.equal(labels[i], expected, `row ${i}`);
    }
  });

  it('reproduces the fit labels on the fitted rows when every point is clustered', () => {
    const fit = blobs(300, 2, 3, 8, 1).data;
    const model = meanShift(fit, 300, 2, { bandwidth: 5 });
    assert.deepEqual(assignMeanShift(model.clusterCenters, model.nClusters, fit, 300, 2), model.labels);
  });

  it('checks the centre matrix', () => {
    assert.throws(() => assignMeanShift(new Float64Array(3), 2, new Float32Array(2), 1, 2), /^RangeError: clusterCenters must be a Float64Array of nClusters×d = 2×2/);
  });
});
