import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import { ADAPTER_CAPABILITY_DEFAULTS, resolveCapabilities } from '../adapter/capabilities.js';
import { missingAdapterMethods, REQUIRED_ADAPTER_METHODS } from '../adapter/storage-adapter.js';
import { createQueue } from '../queue/create-queue.js';

describe('the adapter contract: required methods and capabilities', () => {
  it('createQueue refuses an adapter without a required method, naming what is missing', () => {
    const {
      purge: _purge,
      stats: _stats,
      ...rest
    } = Object.fromEntries(REQUIRED_ADAPTER_METHODS.map((m) => [m, () => {}])) as Record<string, unknown>;
    const adapter = { name: 'half', capabilities: {}, ...rest };
    expect(missingAdapterMethods(adapter)).toEqual(['stats', 'purge']);
    expect(() => createQueue({ adapter: adapter as never })).toThrow(/missing: stats, purge/);
    expect(missingAdapterMethods(memoryAdapter())).toEqual([]);
  });

  it('capabilities default to off, and a flag without its method counts as absent', () => {
    expect(resolveCapabilities({ capabilities: {} } as never)).toEqual(ADAPTER_CAPABILITY_DEFAULTS);
    // An adapter written before a capability existed declares nothing about it: it is off.
    expect(resolveCapabilities({ capabilities: { subscribe: true } } as never).subscribe).toBe(false);
    const memory = resolveCapabilities(memoryAdapter());
    expect(memory).toMatchObject({ subscribe: true, bulkTransition: true, transactionalEnqueue: false });
  });
});
