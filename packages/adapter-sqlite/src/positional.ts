/*
 * D1 binds values to `?NNN` by number (SQLite's own rule: `?` alone takes one past the largest
 * number so far). better-sqlite3 binds only anonymous `?` from an argument list, so each
 * statement's text is rewritten once to anonymous placeholders, with the order in which they
 * read the bound values.
 */

/** A statement rewritten to anonymous `?`: `order[i]` is the 0-based value the i-th `?` reads. */
export interface Positional {
  sql: string;
  order: number[] | null;
}

/** Rewrites `?NNN` placeholders (outside quotes) to `?`; `order` is null when there are none. */
export function toPositional(sql: string): Positional {
  if (!/\?\d/.test(sql)) return { sql, order: null };
  const order: number[] = [];
  let out = '';
  let max = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '?') {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0] ?? '';
      const n = digits ? Number(digits) : max + 1;
      if (n > max) max = n;
      order.push(n - 1);
      out += '?';
      i += 1 + digits.length;
      continue;
    }
    out += c;
    i++;
  }
  return { sql: out, order };
}
