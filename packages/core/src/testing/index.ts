// @redrive/core/testing — the adapter conformance suite.
export {};
