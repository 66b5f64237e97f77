'use client';

/** JSON in a collapsible block (open when short); values are rendered as text, never as HTML. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'undefined';
  } catch {
    text = String(value);
  }
  const lines = text.split('\n').length;
  return (
    <details className="redrive-json" open={lines <= 12}>
      <summary>
        {label} ({lines} {lines === 1 ? 'line' : 'lines'})
      </summary>
      <pre>{text}</pre>
    </details>
  );
}
