/** A random UUID v4 from Web Crypto: worker ids, anything that must not collide across processes. */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolAt = POOL_SIZE;

function randomBytes(n: number): number {
  if (poolAt + n > pool.length) {
    pool = new Uint8Array(POOL_SIZE);
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

/**
 * A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits from Web Crypto. Job ids
 * are made this way because ids that grow with time go into a B-tree index at its right edge
 * (Postgres, SQLite/D1), where random v4 ids would touch a random page on every insert; they are
 * as unguessable as v4 for all practical purposes and sort roughly by creation time.
 */
export function timeOrderedId(ms: number = Date.now()): string {
  const r = randomBytes(10);
  return (
    timePrefix(ms) +
    HEX[0x70 | (pool[r]! & 0x0f)]! +
    HEX[pool[r + 1]!]! +
    '-' +
    HEX[0x80 | (pool[r + 2]! & 0x3f)]! +
    HEX[pool[r + 3]!]! +
    '-' +
    HEX[pool[r + 4]!]! +
    HEX[pool[r + 5]!]! +
    HEX[pool[r + 6]!]! +
    HEX[pool[r + 7]!]! +
    HEX[pool[r + 8]!]! +
    HEX[pool[r + 9]!]!
  );
}

let prefixMs = -1;
let prefix = '';

/** `tttttttt-tttt-` for the 48-bit millisecond timestamp; cached, since ids come in bursts. */
function timePrefix(ms: number): string {
  const t = Math.max(0, Math.floor(ms));
  if (t === prefixMs) return prefix;
  const hi = Math.floor(t / 0x1000000); // top 24 bits of the 48-bit timestamp
  const lo = t % 0x1000000; // bottom 24 bits
  prefixMs = t;
  prefix = `${HEX[(hi >>> 16) & 0xff]}${HEX[(hi >>> 8) & 0xff]}${HEX[hi & 0xff]}${HEX[(lo >>> 16) & 0xff]}-${HEX[(lo >>> 8) & 0xff]}${HEX[lo & 0xff]}-`;
  return prefix;
}
