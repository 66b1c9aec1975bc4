export { hdbscan } from './hdbscan.ts';
export type { HDBSCANOptions, HDBSCANResult } from './hdbscan.ts';
export { hdbscanApproximatePredict } from './predict.ts';
export type { HDBSCANPredictOptions, HDBSCANPrediction } from './predict.ts';
export type { CondensedTree } from './condensed-tree.ts';
export type { HdbscanMetric } from './metric-space.ts';
