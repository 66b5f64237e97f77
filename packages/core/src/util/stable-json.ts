/**
 * JSON with object keys sorted at every level, so equal data always gives the same text (and
 * the same checkpoint hash) whatever order its keys were written in. `undefined` members are
 * dropped as `JSON.stringify` drops them; cycles throw a TypeError, as JSON would.
 */
export function stableStringify(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      // Dates and other objects with toJSON were already converted by JSON.stringify before this call.
      // Prototype-free: a `__proto__` key is data to keep (and hash), not a prototype to set.
      const sorted: Record<string, unknown> = Object.create(null);
      for (const k of Object.keys(v as Record<string, unknown>).sort())
        sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }) ?? 'null'
  );
}
