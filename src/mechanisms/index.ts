// The mechanisms module's public surface: contract, composition, runtimes, replay, conformance, built-ins.
export * from './build-context.js';
export * from './builtin/index.js';
export * from './compose.js';
export * from './conformance.js';
export * from './in-process-runtime.js';
export * from './mechanism.js';
export * from './recorded-trace.js';
export * from './replay.js';
export * from './resolve-config.js';
export * from './runtime.js';
export * from './synthetic-trace.js';
export * from './validate-hook-result.js';
