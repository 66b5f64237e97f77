// Public exports of the classify area (re-exported by src/index.ts). Explicit names only.
export {};
