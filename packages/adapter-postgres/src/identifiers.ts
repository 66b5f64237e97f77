import { ValidationError } from '@redrive/core';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Validates a schema name and returns it quoted for SQL. Only plain identifiers are accepted
 * (letters, digits, underscore; at most 63 bytes, Postgres' limit), so quoting cannot be escaped
 * and the name reads the same in psql; the quotes keep its case as written.
 */
export function quoteSchema(schema: unknown): string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new ValidationError(
      `[redrive] [postgres] schema must be a plain identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}`,
      { issues: [{ path: 'schema', message: 'must match /^[A-Za-z_][A-Za-z0-9_]{0,62}$/' }] },
    );
  }
  return `"${schema}"`;
}
