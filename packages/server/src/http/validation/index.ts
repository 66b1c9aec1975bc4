/** Request validation that answers like FastAPI: AJV set-up, error mapping and Fastify wiring. */
export * from './create-ajv.ts';
export * from './fill-defaults.ts';
export * from './to-validation-detail.ts';
export * from './validator-compiler.ts';
export * from './algorithm-params.ts';
