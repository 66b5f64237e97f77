import { stableStringify } from './stable-json.js';

const encoder = new TextEncoder();

/** Hex SHA-256 of a string, with Web Crypto (Node >= 20, Workers, Deno, Bun, browsers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text));
  const bytes = new Uint8Array(digest);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i] as number).toString(16).padStart(2, '0');
  return hex;
}

/** The hash stored with a checkpoint: hex SHA-256 of the stable JSON of its data. */
export function hashCheckpointData(data: unknown): Promise<string> {
  return sha256Hex(stableStringify(data));
}
