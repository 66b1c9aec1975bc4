import { randomBytes } from 'node:crypto';

/** Prefixes follow Mixpeek's id formats so clients that check them keep working. */
export const ID_PREFIX = {
  namespace: 'ns_',
  collection: 'col_',
  document: 'doc_',
  cluster: 'clust_',
  run: 'run_',
  task: 'task_',
  apiKey: 'key_',
  trigger: 'trig_',
  triggerFire: 'tfire_',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return ID_PREFIX[kind] + randomBytes(8).toString('hex');
}

export function hasPrefix(value: string, kind: IdKind): boolean {
  return value.startsWith(ID_PREFIX[kind]);
}

/** Cluster labels inside one execution: `cl_0`, `cl_1`, …; noise is `cl_-1`. */
export function clusterLabelId(label: number): string {
  return `cl_${label}`;
}
