// Public exports of the config area (re-exported by src/index.ts). Explicit names only.
export {};
