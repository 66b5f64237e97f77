// Public exports of the retry area (re-exported by src/index.ts). Explicit names only.
export {};
