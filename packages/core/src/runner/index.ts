// Public exports of the runner area (re-exported by src/index.ts). Explicit names only.
export {};
