// Public exports of the classify area (re-exported by src/index.ts). Explicit names only.
export { getErrorCategoryDescription, getErrorCategoryLabel, getSuggestedAction } from './category-info.js';
export {
  type ClassificationRule,
  type ClassificationRuleFn,
  type ClassificationRuleObject,
  type ClassifyOptions,
  classifyError,
} from './classify-error.js';
export { type IsRetryableOptions, isPermanentCategory, isRetryable } from './is-retryable.js';
export { getRetryAfterMs } from './retry-after.js';
