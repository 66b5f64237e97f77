import { memoryAdapter, memoryInternals } from '@redrive/adapter-memory';
import { runAdapterConformance } from '@redrive/core/testing';

runAdapterConformance({
  name: 'memory',
  createAdapter: () => memoryAdapter(),
  inspect: memoryInternals,
});
