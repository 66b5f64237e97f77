// Public exports of the queue area (re-exported by src/index.ts). Explicit names only.
export {};
