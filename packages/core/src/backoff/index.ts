// Public exports of the backoff area (re-exported by src/index.ts). Explicit names only.
export {};
