// @redrive/adapter-memory — the in-process storage adapter.
export {
  type MemoryAdapterOptions,
  type MemoryInternals,
  memoryAdapter,
  memoryInternals,
} from './memory-adapter.js';
