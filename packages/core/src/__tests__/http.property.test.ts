import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, it } from 'vitest';
import { checkHttpProperty } from './http-property.js';

describe('HTTP handler properties (memory)', () => {
  it('arbitrary requests from one tenant: no 5xx, no change to another tenant, no prototype pollution', async () => {
    await checkHttpProperty(memoryAdapter(), 600);
  }, 120_000);
});
