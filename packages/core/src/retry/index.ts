// Public exports of the retry area (re-exported by src/index.ts). Explicit names only.
export {
  type GiveUpInfo,
  type RetryContext,
  type RetryInfo,
  type RetryPolicyInput,
  retry,
} from './retry.js';
export { abortableSleep } from './sleep.js';
