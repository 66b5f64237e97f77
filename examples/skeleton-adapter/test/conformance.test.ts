import { REQUIRED_ADAPTER_METHODS } from '@redrive/core';
import { runAdapterConformance } from '@redrive/core/testing';
import { describe, expect, it } from 'vitest';
import { readRow, skeletonAdapter, type Table } from '../src/index.js';

// Each test gets a fresh Map. `inspect` reads the Map itself, so a write that the adapter's own
// getJob would hide still fails its check.
const tables = new WeakMap<object, Table>();

runAdapterConformance({
  describe,
  it,
  name: 'skeleton',
  createAdapter: () => {
    const table: Table = new Map();
    const adapter = skeletonAdapter(table);
    tables.set(adapter, table);
    return adapter;
  },
  inspect: (adapter) => {
    const table = tables.get(adapter)!;
    return {
      getJob: (id) => readRow(table, id)?.job ?? null,
      getRetryHistory: (id) => readRow(table, id)?.history ?? [],
    };
  },
  // No capability declared: the checks that need one are not registered at all.
  capabilities: {},
});

describe('the skeleton adapter', () => {
  it('implements exactly the required methods and declares no capability', () => {
    const adapter = skeletonAdapter();
    const methods = Object.keys(adapter).filter((key) => typeof Reflect.get(adapter, key) === 'function');
    expect(methods.sort()).toEqual([...REQUIRED_ADAPTER_METHODS].sort());
    expect(adapter.capabilities).toEqual({});
  });
});
