/** Every HTTP schema, for routes, the OpenAPI document and contract tests. */
export * from './common.ts';
export * from './namespaces.ts';
export * from './collections.ts';
export * from './documents.ts';
export * from './clusters.ts';
export * from './executions.ts';
export * from './tasks.ts';
