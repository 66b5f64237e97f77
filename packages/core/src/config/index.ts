// Public exports of the config area (re-exported by src/index.ts). Explicit names only.
export {
  DEFAULT_RETRY_CONFIG,
  isResolvedRetryConfig,
  type JitterStrategy,
  type RetryConfig,
  type RetryConfigInput,
  resolveRetryConfig,
} from './retry-config.js';
export { retryConfigSchema } from './retry-config-schema.js';
export { validateWith } from './validate.js';
