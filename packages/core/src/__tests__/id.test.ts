import { describe, expect, it } from 'vitest';
import { timeOrderedId, timeOrderedIds } from '../util/id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId (job ids)', () => {
  it('is a UUID v7 whose first 48 bits are the milliseconds', () => {
    const ms = Date.UTC(2026, 10, 22, 10, 0, 0, 123);
    const id = timeOrderedId(ms);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it('sorts by time across milliseconds and never repeats', () => {
    const ids: string[] = [];
    for (let ms = 1_700_000_000_000; ms < 1_700_000_000_000 + 2000; ms++) ids.push(timeOrderedId(ms));
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 50_000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(many.size).toBe(50_000);
    for (const id of [...many].slice(0, 100)) expect(id).toMatch(UUID_V7);
  });

  it('comes in batches of any size, each id a UUID v7 of that time and unique', () => {
    const ms = Date.UTC(2026, 10, 22, 10, 0, 0, 456);
    for (const count of [0, 1, 63, 64, 65, 1000]) {
      const ids = timeOrderedIds(count, ms);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      for (const id of ids) {
        expect(id).toMatch(UUID_V7);
        expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
      }
    }
  });
});
