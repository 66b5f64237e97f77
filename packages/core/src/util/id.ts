/** A random UUID v4 from Web Crypto: job ids, worker ids, anything that must not collide across processes. */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}
