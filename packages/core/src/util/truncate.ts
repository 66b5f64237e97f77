/** Keep at most `max` characters, marking the cut, so error text stored per attempt stays bounded. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `… [${text.length - max} more chars]`;
  return text.slice(0, Math.max(0, max - marker.length)) + marker;
}

/** A readable message for anything thrown (errors, strings, plain objects, null). Never throws. */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return (error as { message: string }).message;
    }
    return String(error);
  } catch {
    return 'unprintable error';
  }
}

/** The stack of an error, or null. Never throws. */
export function errorStack(error: unknown): string | null {
  try {
    const stack = (error as { stack?: unknown } | null)?.stack;
    return typeof stack === 'string' ? stack : null;
  } catch {
    return null;
  }
}
