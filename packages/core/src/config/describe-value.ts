/** How a bad value is named in an error message: its type, never its content (it may be a secret). */
export function describeValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return typeof input;
}
