// @redrive/adapter-memory — the in-process storage adapter.
export { type MemoryAdapterOptions, memoryAdapter } from './memory-adapter.js';
export { type MemoryInternals, memoryInternals } from './memory-internals.js';
