// An app on vitest 2: npm installs @redrive/core next to it (core declares no vitest peer) and
// the conformance suite runs with this vitest's describe and it.
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
