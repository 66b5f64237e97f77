// @redrive/core/http — the Fetch-API handler.
export {};
