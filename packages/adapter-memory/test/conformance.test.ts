import { memoryAdapter, memoryInternals } from '@redrive/adapter-memory';
import { runAdapterConformance } from '@redrive/core/testing';
import { describe, it } from 'vitest';

runAdapterConformance({
  describe,
  it,
  name: 'memory',
  createAdapter: () => memoryAdapter(),
  inspect: memoryInternals,
});
